// Package canceltest checks, in tests, that a stage of a run stops
// promptly when its context is cancelled: Check cancels a stage before and
// while it runs and bounds how long it may take to return, and AfterChecks
// gives a context that cancels itself at a chosen check, to stop a stage
// part-way through whatever the speed of the machine. It is imported by
// tests only. Failures are reported through testing.T; it returns no
// errors.
package canceltest
