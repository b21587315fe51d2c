/** A few colours to pick with one press; each is distinct from the others and from the page. */
export const PRESET_COLOURS: { name: string; color: string }[] = [
  { name: 'Blue', color: '#1d4ed8' },
  { name: 'Teal', color: '#0f766e' },
  { name: 'Green', color: '#15803d' },
  { name: 'Amber', color: '#b45309' },
  { name: 'Red', color: '#b91c1c' },
  { name: 'Pink', color: '#be185d' },
  { name: 'Purple', color: '#7e22ce' },
  { name: 'Grey', color: '#4b5563' },
];

/**
 * A label's colour: the browser's colour input (any #RRGGBB) and the presets as toggle buttons,
 * with the API's error for the colour, if any, below them.
 */
export function ColourPicker(props: {
  id: string;
  value: string;
  onChange(color: string): void;
  error: string;
}) {
  const { id, value, onChange, error } = props;
  const current = value.toLowerCase();
  return (
    <div class="colour-picker">
      <label for={id}>Colour</label>
      <div class="colour-controls">
        <input
          id={id}
          type="color"
          value={current}
          aria-describedby={`${id}-error`}
          aria-invalid={error ? true : undefined}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
        <div role="group" aria-label="Preset colours" class="presets">
          {PRESET_COLOURS.map((preset) => (
            <button
              type="button"
              class="preset"
              aria-label={preset.name}
              aria-pressed={current === preset.color}
              style={{ background: preset.color }}
              onClick={() => onChange(preset.color)}
            />
          ))}
        </div>
      </div>
      <span id={`${id}-error`} class="error" role="alert">
        {error}
      </span>
    </div>
  );
}
