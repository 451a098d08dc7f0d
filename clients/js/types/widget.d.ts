// Types of @parley/client/widget (src/widget/index.js) and of window.Parley, the script-tag build.
import type { ConnectionState, Message, ParleyClient, User } from './client.js';

export type Strings = Record<string, string | Record<string, string>>;

export interface WidgetOptions {
  server?: string;
  tokenUrl?: string;
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  tokenBody?: Record<string, unknown> | (() => Record<string, unknown>);
  rooms: string | string[];
  room?: string;
  roomLabels?: Record<string, string>;
  title?: string;
  mode?: 'launcher' | 'inline';
  open?: boolean;
  position?: 'right' | 'left';
  locale?: string;
  dir?: 'ltr' | 'rtl';
  strings?: Strings;
  maxLength?: number;
  persistOutbox?: boolean;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}

export interface WidgetEvents {
  ready: { user: User | null };
  status: { state: ConnectionState | 'destroyed'; code?: number; retryIn?: number };
  message: { room: string; message: Omit<Message, 'ref' | 'meta'>; own: boolean };
  presence: { room: string; event: 'sync' | 'join' | 'leave' | 'count'; user?: User; members: User[] | null; count: number };
  unread: { total: number; rooms: Record<string, number> };
  open: Record<string, never>;
  close: Record<string, never>;
  room: { room: string };
  error: { code: string; message?: string; room?: string; ref?: string };
}

export interface WidgetInstance {
  open(): void;
  close(): void;
  toggle(): void;
  switchRoom(room: string): boolean;
  send(text: string, room?: string): string | null;
  destroy(): void;
  on<K extends keyof WidgetEvents>(event: K, listener: (payload: WidgetEvents[K]) => void): () => void;
  off<K extends keyof WidgetEvents>(event: K, listener: (payload: WidgetEvents[K]) => void): void;
  readonly user: User | null;
  readonly room: string;
  readonly rooms: string[];
  readonly status: ConnectionState | 'destroyed';
  readonly unread: number;
  readonly isOpen: boolean;
  readonly element: Element;
  /** The ParleyClient the widget runs on. */
  readonly client: ParleyClient;
}

export declare const VERSION: string;
export declare const STRINGS: Readonly<Strings>;
export declare const LOCALES: Readonly<Record<string, Readonly<Strings>>>;
export declare function mount(target?: Element | string | null, options?: WidgetOptions, defaults?: Partial<WidgetOptions>): WidgetInstance;
export declare function get(target?: Element | string | null): WidgetInstance | null;

/** window.Parley, defined by the script-tag build. */
export interface ParleyGlobal {
  readonly version: string;
  readonly STRINGS: Readonly<Strings>;
  readonly LOCALES: Readonly<Record<string, Readonly<Strings>>>;
  mount(target?: Element | string | null, options?: Partial<WidgetOptions>): WidgetInstance;
  get(target?: Element | string | null): WidgetInstance | null;
}

declare global {
  interface Window {
    Parley?: ParleyGlobal;
  }
}
