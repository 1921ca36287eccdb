package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// Exit statuses, the contract scripts rely on.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
	exitBrokenPipe  = 141 // 128 + SIGPIPE, as a shell reports a tool its pipe's reader left
)

// usageError marks a problem with the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// command is one subcommand, in the manner of cmd/go.
type command struct {
	Name  string
	Short string
	Run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"run", "segment customers: features, RFM, k-means with elbow, plots, report", runRun},
		{"assign", "score customers with a saved model (same clusters, keys and names)", runAssign},
		{"inspect", "describe an order file and guess its column mapping", runInspect},
		{"gen", "write a synthetic store with planted personas", runGen},
		{"version", "print the version", runVersion},
	}
}

const usageText = `usage: segment <command> [flags]

Commands:
%s
Run "segment <command> -h" for a command's flags.

EXIT STATUS
  0 success; 1 the run failed (bad data, bad config file, I/O); 2 usage error;
  130 interrupted (SIGINT or SIGTERM).
`

// run is main without os.Exit: it returns the process's exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.Name == args[0] {
			return exitCode(ctx, c.Run(ctx, args[1:], stdout, stderr), stderr)
		}
	}
	fmt.Fprintf(stderr, "segment: unknown command %q\n", args[0])
	printUsage(stderr)
	return exitUsage
}

func printUsage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.Name, c.Short)
	}
	fmt.Fprintf(w, usageText, b.String())
}

// exitCode reports err once on stderr and maps it to an exit status.
func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, syscall.EPIPE): // stdout's reader is gone (| head): quiet, as a shell tool
		return exitBrokenPipe
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "segment: %s\n", ue.msg)
		return exitUsage
	case errors.Is(err, pipeline.ErrOutputRefused): // -out names a folder segment may not replace
		fmt.Fprintf(stderr, "segment: %v\n", err)
		return exitUsage
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintln(stderr, "segment: interrupted")
		return exitInterrupted
	default:
		fmt.Fprintf(stderr, "segment: %v\n", err)
		return exitFailed
	}
}

// cmdFlags is a command's flag set with its -h doc.
type cmdFlags struct {
	*flag.FlagSet
	doc    string
	stderr io.Writer
}

// newFlagSet returns a flag set whose parse errors become usage errors and
// whose -h text is the command's doc.
func newFlagSet(name, doc string, stderr io.Writer) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package would print parse errors itself; segment reports every
	// error once, so parse silently and print the doc only for -h.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, doc: doc, stderr: stderr}
}

// parse parses args, turning errors into usage errors. Positional arguments
// are rejected unless allowed.
func (fs *cmdFlags) parse(args []string, positional bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(fs.stderr, fs.doc)
			fmt.Fprintln(fs.stderr, "\nFlags:")
			fs.SetOutput(fs.stderr)
			fs.PrintDefaults()
			return err
		}
		return usageError{msg: fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if !positional && fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	for _, a := range fs.Args() {
		// Go's flags stop at the first PATH: "-write x.yaml" after one
		// would be taken for two more PATHs.
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && fs.Lookup(name) != nil {
			return usageError{msg: fmt.Sprintf("%s: %s after a PATH: flags go before the PATHs", fs.Name(), a)}
		}
	}
	return nil
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "usage: segment version\n\nPrints the version.\n", stderr)
	if err := fs.parse(args, false); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "segment %s\n", pipeline.Version)
	return nil
}

// startCPUProfile profiles the process into path, a new file, until stop
// is called; stop reports an error closing the file. An existing file is
// a usage error: a mistyped -cpuprofile must not replace an input or an
// output (segment never replaces a file it did not write).
func startCPUProfile(path string) (stop func() error, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, usageError{msg: fmt.Sprintf("-cpuprofile %s: the file exists; segment never replaces a file: give a new name", path)}
	}
	if err != nil {
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		return nil
	}, nil
}

// memoryLimitDoc is the -memory-limit flag's help.
const memoryLimitDoc = "memory budget: a share of this machine's memory (80%), a size (12GiB, 500MB) or none; past it the run stops with a clear error"

// parseMemoryLimit reads -memory-limit: "N%" of the memory this process
// may use (pipeline.SystemMemory; no limit where that is unknown), a size
// in bytes with an optional KB/MB/GB/TB or KiB/MiB/GiB/TiB suffix, or
// "none" (or 0) for no limit.
func parseMemoryLimit(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "none" || s == "0" {
		return 0, nil
	}
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		p, err := strconv.ParseFloat(pct, 64)
		if err != nil || !(p > 0 && p <= 100) {
			return 0, fmt.Errorf("want a share in (0%%, 100%%], got %q", s)
		}
		return int64(p / 100 * float64(pipeline.SystemMemory())), nil
	}
	n, err := config.ParseSize(s)
	if err != nil {
		return 0, fmt.Errorf("want a share such as 80%%, a size such as 12GiB, or none")
	}
	return n, nil
}
