// Package inspect is what "segment inspect" prints about a file: its
// format, rows and columns, the table it looks like (order lines, or the
// customers, products or events table) and the mapping guessed for it.
// The guessing itself is data's (data.Inspect, data.GuessTable); the
// starter config file that "segment inspect -write" saves is config's
// (config.WriteStarter). Describe's only errors are the writer's.
package inspect
