/**
 * The part of net-snmp (which ships no types) that the snmp probe and the trap receiver use.
 * Shapes follow the package's README ("Application: Command & Notification Generator",
 * "Application: Notification Receiver", "Authorizer Module").
 */
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';

  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }

  export interface User {
    name: string;
    level: number;
    authProtocol?: string;
    authKey?: string;
    privProtocol?: string;
    privKey?: string;
  }

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
  }

  /** Rows keyed by their index (`"3"`, or `"0.1.1"` for multi-part indexes), cells by column. */
  export type Table = Record<string, Record<string, unknown>>;

  export interface Session extends EventEmitter {
    get(oids: string[], callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    tableColumns(
      oid: string,
      columns: number[],
      maxRepetitions: number,
      callback: (error: Error | null, table: Table) => void,
    ): void;
    table(
      oid: string,
      maxRepetitions: number,
      callback: (error: Error | null, table: Table) => void,
    ): void;
    close(): void;
  }

  export interface Notification {
    pdu: {
      type: number;
      varbinds: Varbind[];
      /** SNMPv1 Trap-PDU only (RFC 1157 §4.1.6). */
      enterprise?: string;
      generic?: number;
      specific?: number;
      upTime?: number;
    };
    rinfo: { address: string; family: string; port: number; size: number };
  }

  export interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: User): void;
  }

  export interface ReceiverOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    disableAuthorization?: boolean;
    includeAuthentication?: boolean;
    engineID?: string;
  }

  export interface Receiver {
    getAuthorizer(): Authorizer;
    close(callback?: () => void): void;
  }

  export function createSession(
    target: string,
    community: string,
    options?: SessionOptions,
  ): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;
  export function createReceiver(
    options: ReceiverOptions,
    callback: (error: Error | null, notification: Notification | null) => void,
  ): Receiver;
  export function isVarbindError(varbind: Varbind): boolean;

  export const Version1: number;
  export const Version2c: number;
  export const Version3: number;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: Record<
    'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512',
    string
  >;
  export const PrivProtocols: Record<'des' | 'aes' | 'aes256b' | 'aes256r', string>;
  export const ObjectType: Record<string, number | string>;
  export const ResponseInvalidCode: Record<string, number | string>;

  const snmp: {
    createSession: typeof createSession;
    createV3Session: typeof createV3Session;
    createReceiver: typeof createReceiver;
    isVarbindError: typeof isVarbindError;
    Version1: number;
    Version2c: number;
    Version3: number;
    SecurityLevel: typeof SecurityLevel;
    AuthProtocols: typeof AuthProtocols;
    PrivProtocols: typeof PrivProtocols;
    ObjectType: typeof ObjectType;
    ResponseInvalidCode: typeof ResponseInvalidCode;
  };
  export default snmp;
}
