/** Typed contexts (Svelte's createContext): the app's few shared objects. */
import { createContext } from 'svelte';
import type { Clock } from './clock.svelte';
import type { Desk } from './desk.svelte';
import type { DeviceSignIns } from './device.svelte';
import type { I18n } from './i18n/i18n.svelte';
import type { Ui } from './ui.svelte';

export const [getClock, setClock] = createContext<Clock>();
export const [getDesk, setDesk] = createContext<Desk>();
export const [getDevices, setDevices] = createContext<DeviceSignIns>();
export const [getI18n, setI18n] = createContext<I18n>();
export const [getUi, setUi] = createContext<Ui>();
