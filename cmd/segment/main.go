// Command segment turns an online store's order history into customer
// segments: per-customer features, k-means clusters with k chosen by the
// elbow, plots, a Markdown report and exports. Run "segment -h" for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
