import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useKeyboardWedge } from './use-keyboard-wedge';

/**
 * One screen layer's share of the keyboard: the counter at the bottom, dialogs stacked on it. Keys and typing go
 * to the top layer only (dialogs are modal); a scan goes to the topmost layer that takes scans, so a payment code
 * scanned while, say, the cash dialog is open still reaches the counter.
 */
export interface InputLayer {
  /** Named keys (F-keys, Enter, Esc, arrows, Backspace...). Printable keys arrive as onTyped or onScan instead. */
  onKey?(event: KeyboardEvent): void;
  /** Characters typed while no text field had the focus. */
  onTyped?(text: string): void;
  /** A keyboard-wedge scanner's complete scan; returning false passes it to the layer below. */
  onScan?(code: string): boolean | void;
}

interface LayerStack {
  push: (layer: React.RefObject<InputLayer>) => () => void;
}

const LayerContext = createContext<LayerStack | null>(null);

/** Owns the keyboard for a window: the wedge detector plus one keydown listener, dispatching to the layers. */
export function InputLayers({ children, onGlobalKey }: { children: React.ReactNode; onGlobalKey?: (event: KeyboardEvent) => boolean }) {
  const layers = useRef<React.RefObject<InputLayer>[]>([]);
  const globalKey = useRef(onGlobalKey);
  globalKey.current = onGlobalKey;

  const stack = useMemo<LayerStack>(
    () => ({
      push(layer) {
        layers.current.push(layer);
        return () => {
          layers.current = layers.current.filter((l) => l !== layer);
        };
      },
    }),
    [],
  );

  useKeyboardWedge({
    onScan: (code) => {
      for (const layer of [...layers.current].reverse()) {
        if (layer.current.onScan && layer.current.onScan(code) !== false) return;
      }
    },
    onTyped: (text) => layers.current.at(-1)?.current.onTyped?.(text),
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.isComposing || event.defaultPrevented) return;
      if (globalKey.current?.(event)) return;
      layers.current.at(-1)?.current.onKey?.(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return <LayerContext.Provider value={stack}>{children}</LayerContext.Provider>;
}

/** Puts a layer on the stack while the component is mounted; the handlers may change on every render. */
export function useInputLayer(layer: InputLayer): void {
  const stack = useContext(LayerContext);
  const ref = useRef(layer);
  ref.current = layer;
  // Before paint, not after: once a dialog is on screen its keys must reach it (a cashier pressing F3 twice —
  // open cash, exact amount — faster than an effect runs would otherwise send the second press to the screen
  // below).
  useLayoutEffect(() => stack?.push(ref), [stack]);
}
