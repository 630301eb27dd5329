import { useMedia } from './use-media';

/**
 * Where a keyboard is likely: a pointer that hovers and aims finely (a mouse or a trackpad) on a
 * screen wider than a phone. Elsewhere (touch screens, phone-sized windows) the app says what to
 * tap, not which key to press.
 */
export const KEYBOARD_LIKELY = '(hover: hover) and (pointer: fine) and (min-width: 561px)';

/** Whether to offer keyboard hints (shortcut keys in text and placeholders). */
export function useKeyboardLikely(): boolean {
  return useMedia(KEYBOARD_LIKELY);
}
