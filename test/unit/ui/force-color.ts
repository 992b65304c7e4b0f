// Imported first by the colour test so chalk, which reads the environment once, turns colours on.
process.env.FORCE_COLOR = '1';
