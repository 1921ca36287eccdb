// Package outdir replaces a run's output folder as a whole, so that a
// failed run never damages the previous outputs, and replaces nothing but
// an output folder.
//
// Open checks the folder before any work: it may be absent, empty, or a
// folder segment wrote (it holds the Marker file, or an older segment's
// outputs and nothing else); anything else is refused (RefusedError,
// matching ErrRefused), as are "" and folders holding the working
// directory. It then takes the folder's lock, the file "."+base+".lock"
// beside it (flock on Unix, LockFileEx on Windows: the operating system
// releases it when the process ends, however it ends), so that a second
// run into the same folder fails at once (LockedError) or, with
// Options.Wait, waits. Symbolic links are followed: the folder replaced is
// the link's target, and the link stays.
//
// A run writes every output into a Staging directory created beside the
// target and, once all of them are written, Commit flushes them to disk
// and swaps the staging directory into the target's place, then flushes
// the parent directory; a run that fails or is interrupted before then
// removes the staging directory (Close) and leaves the target as it was.
// On Linux the swap is atomic (renameat2 RENAME_EXCHANGE): at every moment
// the target holds either the previous outputs or the new ones, whole.
// Elsewhere, and on file systems without the exchange, it is two renames;
// a run stopped between them leaves the previous outputs beside the staging
// directory, under its name with ".old" appended. A run killed before it
// could clean up (SIGKILL, power loss) leaves its staging directory behind;
// the next Open of the same target removes it once its process is gone
// (on Linux; elsewhere such directories are left alone).
//
// Errors are I/O errors, prefixed "output" and naming the target where it
// matters. Nothing is removed but staging directories and, once Commit has
// put the new outputs in their place, the previous ones; failing to remove
// those is a warning (Options.Log), not an error.
package outdir
