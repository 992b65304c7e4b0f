// What a terminal obeys, for tests that print hostile text: C0 (newline and tab aside), DEL, C1 and bidi controls.

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what these tests look for
export const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** The colour and bold escapes the console writes itself (SGR), which tests remove before looking for others. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes are what is matched
export const SGR = /\x1b\[[0-9;]*m/g;

/** A hostile text: clears the screen, sets the clipboard (OSC 52), returns the carriage, a C1 CSI, a bidi override. */
export const HOSTILE = '\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\rpwned\b\u009b2J\u202e';
/** HOSTILE as a person reads it on the console or in the CLI's output. */
export const HOSTILE_SHOWN = '^[[2J^[]52;c;cm0gLXJmIH4=^G^Mpwned^H\\u009b2J\\u202e';
