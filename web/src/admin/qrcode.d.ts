// The one function the 2FA page uses. @types/qrcode is a devDependency of the hub, not of web;
// this stands in until web has it.
declare module 'qrcode' {
  export function toDataURL(
    text: string,
    options?: { margin?: number; width?: number },
  ): Promise<string>;
}
