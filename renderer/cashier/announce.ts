import type { AppInfo } from '../../shared/api';
import type { Language } from '../../shared/i18n';

/** Whether payments are announced aloud (settings: voice.enabled, on by default). */
export function voiceEnabled(info: AppInfo | null): boolean {
  return info?.voiceAnnouncements ?? false;
}

/** Speaks a short text through the browser's speech synthesis; silent where there is none. */
export function speak(text: string, language: Language): void {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language === 'en' ? 'en-US' : 'zh-CN';
  utterance.rate = 1.05;
  synth.cancel();
  synth.speak(utterance);
}

let audio: AudioContext | null = null;

/** A short beep (WebAudio) so the cashier hears that a scan arrived. */
export function beep(frequencyHz = 1800, durationMs = 90): void {
  if (typeof AudioContext === 'undefined') return;
  try {
    audio ??= new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = frequencyHz;
    gain.gain.value = 0.08;
    oscillator.connect(gain).connect(audio.destination);
    const start = audio.currentTime;
    oscillator.start(start);
    oscillator.stop(start + durationMs / 1000);
    // Browsers start an AudioContext suspended until a user gesture; a scan's keystrokes count as one.
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    // No sound device: the scan itself still goes through.
  }
}
