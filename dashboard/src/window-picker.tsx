/** The window every panel covers: a preset, or from/to (UTC) applied together. */
import { useState } from 'react';
import { fromInput, PRESETS, resolveWindow, toInput, type WindowChoice } from './time-window';

export function WindowPicker({
  choice,
  onChoose,
}: {
  choice: WindowChoice;
  onChoose: (choice: WindowChoice) => void;
}) {
  const resolved = resolveWindow(choice);
  const [from, setFrom] = useState(toInput(resolved.from));
  const [to, setTo] = useState(toInput(resolved.to));
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
