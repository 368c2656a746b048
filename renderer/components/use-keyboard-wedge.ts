import { useEffect, useRef } from 'react';
import { KeyboardWedgeDetector, type WedgeThresholds } from '../../shared/keyboard-wedge';

export interface WedgeHandlers {
  /** A complete scan from a USB keyboard-wedge scanner, wherever the focus was. */
  onScan(code: string): void;
  /** Keys that turned out to be typing while no text field had the focus (e.g. digits for the numpad). */
  onTyped(text: string): void;
}

/**
 * Listens to every keydown before anything else sees it (capture phase) and holds back printable keys until it
 * is clear whether they are a scan. A scan never reaches a text field; typing reaches it a few milliseconds late.
 */
export function useKeyboardWedge(handlers: WedgeHandlers, thresholds: Partial<WedgeThresholds> = {}): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const thresholdsKey = JSON.stringify(thresholds);

  useEffect(() => {
    const detector = new KeyboardWedgeDetector(JSON.parse(thresholdsKey) as Partial<WedgeThresholds>);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let target: Element | null = null;

    const deliver = (text: string): void => {
      if (text === '') return;
      if (target && isTextField(target) && document.activeElement === target) insertText(target, text);
      else latest.current.onTyped(text);
    };
    const schedule = (): void => {
      if (timer) clearTimeout(timer);
      const deadline = detector.deadline();
      if (deadline === null) return;
      timer = setTimeout(() => deliver(detector.expire(performance.now()) ?? ''), Math.max(0, deadline - performance.now()) + 1);
    };
    const swallow = (event: KeyboardEvent): void => {
      event.preventDefault();
      event.stopImmediatePropagation();
    };

    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.isComposing || event.repeat) return;
      // The event's own time, not the time it is handled: a busy main thread (a re-render mid-scan) must not
      // stretch the gaps between a scanner's keys into "typing". Same clock as performance.now().
      const timeMs = event.timeStamp > 0 ? event.timeStamp : performance.now();
      const decision = detector.key({ key: event.key, timeMs, ctrlKey: event.ctrlKey, altKey: event.altKey, metaKey: event.metaKey });
      switch (decision.action) {
        case 'pass':
          break;
        case 'hold':
          target = document.activeElement;
          swallow(event);
          break;
        case 'scan':
          swallow(event);
          latest.current.onScan(decision.code);
          break;
        case 'release':
          deliver(decision.text);
          if (decision.then === 'hold') {
            target = document.activeElement;
            swallow(event);
          }
          break;
      }
      schedule();
    };
    const onBlur = (): void => deliver(detector.flush());

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('blur', onBlur);
    return () => {
      if (timer) clearTimeout(timer);
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('blur', onBlur);
    };
  }, [thresholdsKey]);
}

function isTextField(element: Element): element is HTMLInputElement | HTMLTextAreaElement {
  return element instanceof HTMLTextAreaElement || (element instanceof HTMLInputElement && ['text', 'search', 'number', 'tel', 'password', ''].includes(element.type));
}

/** Inserts text at the caret the way typing would, so React's onChange sees it. */
function insertText(field: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  const prototype = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  // React tracks the value through the prototype's setter; setting it there makes onChange fire as for typing.
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'value');
  descriptor?.set?.call(field, field.value.slice(0, start) + text + field.value.slice(end));
  field.setSelectionRange?.(start + text.length, start + text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
