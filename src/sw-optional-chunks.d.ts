/** Each optional group's file URLs, written by the build (scripts/sw-optional-chunks.ts). */
declare module 'virtual:consult-optional-chunks' {
  const groups: Readonly<Record<string, readonly string[]>>;
  export default groups;
}
