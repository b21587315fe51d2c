import { useEffect, useRef } from 'preact/hooks';

/** The tasks page's keyboard shortcuts (ignored while typing in a field). */
export const SHORTCUTS: [string, string][] = [
  ['n', 'New task (the quick-add field)'],
  ['/', 'Search'],
  ['j', 'Next task'],
  ['k', 'Previous task'],
  ['x', 'Complete or reopen the task'],
  ['e', 'Edit the task'],
  ['Delete', 'Delete the task (with undo)'],
  ['Escape', 'Close the editor'],
  ['?', 'This list'],
];

/** Whether a key press is typing into a field rather than a shortcut. */
export function typing(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  }
  return false;
}

/** The list of shortcuts, as a modal dialog. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} class="shortcuts" aria-labelledby="shortcuts-heading" onClose={onClose}>
      <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([key, what]) => (
          <div>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
