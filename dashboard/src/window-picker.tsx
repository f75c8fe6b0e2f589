/** The window every panel covers: a preset, or from/to (UTC) applied together. */
import { useEffect, useState } from 'react';
import { fromInput, PRESETS, toInput, type ResolvedWindow, type WindowChoice } from './time-window';

export function WindowPicker({
  choice,
  resolved,
  onChoose,
}: {
  choice: WindowChoice;
  /** The window in force (the choice resolved when it was made). */
  resolved: ResolvedWindow;
  onChoose: (choice: WindowChoice) => void;
}) {
  const [from, setFrom] = useState(toInput(resolved.from));
  const [to, setTo] = useState(toInput(resolved.to));
  // The fields show the window in force: a preset's once it is chosen.
  useEffect(() => {
    setFrom(toInput(resolved.from));
    setTo(toInput(resolved.to));
  }, [resolved.from, resolved.to]);
  const invalid = !from || !to || fromInput(from) >= fromInput(to);
  return (
    <div className="window-picker" role="group" aria-label="time window">
      {PRESETS.map((preset) => (
        <button
          key={preset.id}
          type="button"
          data-preset={preset.id}
          aria-pressed={'preset' in choice && choice.preset === preset.id}
          onClick={() => onChoose({ preset: preset.id })}
        >
          {preset.label}
        </button>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!invalid) onChoose({ from: fromInput(from), to: fromInput(to) });
        }}
      >
        <label>
          from{' '}
          <input
            type="datetime-local"
            name="from"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label>
          to{' '}
          <input
            type="datetime-local"
            name="to"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <span className="utc">UTC</span>
        <button type="submit" disabled={invalid}>
          Apply
        </button>
      </form>
    </div>
  );
}
