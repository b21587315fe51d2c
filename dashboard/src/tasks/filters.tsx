import { useState } from 'preact/hooks';
import { parseRoute } from '../route.ts';
import {
  filterCount,
  specOf,
  filterable,
  ORDER_FIELDS,
  ORDER_NAMES,
  PRIORITIES,
  PRIORITY_NAMES,
  type Label,
  type ListSpec,
} from './task-api.ts';

/** A change to the route's parameters; undefined or '' removes one. */
export type Patch = Record<string, string | undefined>;

interface Props {
  spec: ListSpec;
  categories: Label[];
  tags: Label[];
  onChange(patch: Patch): void;
}

/** The list `key` in the URL as it is now (not as last rendered) with `value` on or off. */
function toggled(key: 'priorities' | 'tagIds', value: string, on: boolean): string {
  const list: string[] = specOf(parseRoute(location.hash).params)[key];
  return (on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value)).join(
    ',',
  );
}

/** Status, priorities, category, tags, due range and sort; all kept in the URL. */
export function Filters({ spec, categories, tags, onChange }: Props) {
  const count = filterCount(spec);
  const enabled = filterable(spec.view) && !spec.query.trim();
  const sortable = enabled;
  // Open at first when a filter is set (a shared link); then as the user leaves it.
  const [open, setOpen] = useState(count > 0);
  return (
    <details
      class="filters"
      open={open}
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Filters and sort{count ? ` (${count} set)` : ''}</summary>
      {!filterable(spec.view) && (
        <p class="muted">
          The {spec.view} view has its own order and takes no filters; search still narrows it.
        </p>
      )}
      {filterable(spec.view) && spec.query.trim() && (
        <p class="muted">While searching, the best matches come first.</p>
      )}
      <fieldset class="filter-grid" disabled={!filterable(spec.view)}>
        <legend class="visually-hidden">Filters</legend>
        <label>
          Status
          <select value={spec.status} onChange={(e) => onChange({ status: e.currentTarget.value })}>
            <option value="">All</option>
            <option value="PENDING">Pending</option>
            <option value="COMPLETED">Completed</option>
          </select>
        </label>
        <fieldset class="checks">
          <legend>Priority</legend>
          {PRIORITIES.map((p) => (
            <label class="check">
              <input
                type="checkbox"
                checked={spec.priorities.includes(p)}
                onChange={(e) =>
                  onChange({ priority: toggled('priorities', p, e.currentTarget.checked) })
                }
              />
              {PRIORITY_NAMES[p]}
            </label>
          ))}
        </fieldset>
        <label>
          Category
          <select
            value={spec.categoryId}
            onChange={(e) => onChange({ category: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {categories.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        {tags.length > 0 && (
          <fieldset class="checks">
            <legend>Tags (any of)</legend>
            {tags.map((tag) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={spec.tagIds.includes(tag.id)}
                  onChange={(e) =>
                    onChange({ tags: toggled('tagIds', tag.id, e.currentTarget.checked) })
                  }
                />
                {tag.name}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          Due from
          <input
            type="date"
            value={spec.from}
            onChange={(e) => onChange({ from: e.currentTarget.value })}
          />
        </label>
        <label>
          Due until
          <input
            type="date"
            value={spec.to}
            onChange={(e) => onChange({ to: e.currentTarget.value })}
          />
        </label>
      </fieldset>
      <fieldset class="filter-grid" disabled={!sortable}>
        <legend class="visually-hidden">Sort</legend>
        <label>
          Sort by
          <select
            value={spec.sort}
            onChange={(e) => onChange({ sort: e.currentTarget.value, dir: '' })}
          >
            {ORDER_FIELDS.map((field) => (
              <option value={field}>{ORDER_NAMES[field]}</option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select value={spec.direction} onChange={(e) => onChange({ dir: e.currentTarget.value })}>
            <option value="ASC">Ascending</option>
            <option value="DESC">Descending</option>
          </select>
        </label>
        {count > 0 && (
          <button
            type="button"
            class="quiet"
            onClick={() =>
              onChange({ status: '', priority: '', category: '', tags: '', from: '', to: '' })
            }
          >
            Clear filters
          </button>
        )}
      </fieldset>
    </details>
  );
}
