import { useId } from 'react';

/**
 * A modal layer over the counter. Only the top layer listens to keys (see useKeys), Esc closes it, and its
 * close button says so.
 */
export function Dialog({
  title,
  onClose,
  closeLabel,
  children,
  wide = false,
  testId,
}: {
  title: string;
  onClose: () => void;
  closeLabel: string;
  children: React.ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const titleId = useId();
  return (
    <div className="overlay">
      <section className={wide ? 'dialog dialog-wide' : 'dialog'} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="dialog-close" onClick={onClose} aria-label={closeLabel} aria-keyshortcuts="Escape">
            {closeLabel}
            <kbd>Esc</kbd>
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </section>
    </div>
  );
}

/** A button that shows its key, with the key in aria-keyshortcuts. */
export function KeyButton({
  label,
  keyLabel,
  ariaKeys,
  onClick,
  disabled,
  className,
  title,
  testId,
}: {
  label: string;
  keyLabel: string;
  ariaKeys: string;
  onClick: () => void;
  disabled?: boolean;
  className?: string;
  title?: string;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className={className}
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      aria-keyshortcuts={ariaKeys}
      title={title}
      data-testid={testId}
    >
      <span className="key-button-label">{label}</span>
      <kbd>{keyLabel}</kbd>
    </button>
  );
}
