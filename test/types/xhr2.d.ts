/** `xhr2`: XMLHttpRequest for Node, which DirectLineJS needs outside a browser (its README). Ships no types. */
declare module 'xhr2' {
  const XMLHttpRequest: typeof globalThis.XMLHttpRequest;
  export default XMLHttpRequest;
}
