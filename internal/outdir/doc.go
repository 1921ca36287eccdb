// Package outdir replaces a run's output directory as a whole, so that a
// failed run never damages the previous outputs.
//
// A run writes every output into a Staging directory created beside the
// target (NewStaging) and, once all of them are written, swaps it into the
// target's place (Commit); a run that fails or is interrupted before then
// removes the staging directory (Cleanup) and leaves the target as it was.
// On Linux the swap is atomic (renameat2 RENAME_EXCHANGE): at every moment
// the target holds either the previous outputs or the new ones, whole.
// Elsewhere, and on file systems without the exchange, it is two renames;
// a run stopped between them leaves the previous outputs beside the staging
// directory, under its name with ".old" appended. A run killed before it
// could clean up (SIGKILL, power loss) leaves its staging directory behind;
// the next NewStaging for the same target removes it once its process is
// gone (on Linux; elsewhere such directories are left alone).
//
// Errors are I/O errors, prefixed "output" and naming the target where it
// matters. Nothing is removed but staging directories and, once Commit has
// put the new outputs in their place, the previous ones.
package outdir
