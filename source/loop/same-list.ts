/** The same items in the same order, by identity (the informer replaces an object when it changes). */
export const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
