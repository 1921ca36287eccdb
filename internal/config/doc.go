// Package config is segment's YAML config file: its schema (File), its
// loading (Load) and its validation (File.Validate), and the starter file
// that "segment inspect -write" saves (WriteStarter).
//
// The config file is the contract of a scheduled run: the same file must
// mean the same run next month. Decoding is therefore strict: an unknown
// key is an error naming it and its line, since a typo must not silently
// change a run, and settings this version cannot honour (a retired key, a
// value out of range) are rejected rather than ignored. Relative input
// paths in a file are taken relative to the file's directory, so that a
// run does not depend on the directory it is started from.
//
// A File is also written into model.json as the effective configuration
// of a run, and read back from there by "segment assign"; its json tags
// are part of that file's format.
//
// Error policy: Load's errors start with "config PATH: " (or "config: "
// when the file cannot be read) and name the key at fault, and the line
// where the YAML decoder knows it; Validate's errors name the key.
// WriteStarter's errors start with "inspect: ", the command users see
// them from. Nothing panics on a bad file.
package config
