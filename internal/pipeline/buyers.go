package pipeline

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
)

// Buyers are the customers with orders who are clustered: those with an
// order of positive net value and a positive net spend
// (features.NotClustered). The others keep their RFM scores and groups but
// get cluster −1 and a reason.
type Buyers struct {
	Table  *features.Table // the buyers, in the order of the customer table
	Row    []int           // row of the customer table → row of Table, or −1
	Reason []string        // why row i of the customer table is not clustered, "" when it is
}

// SelectBuyers splits the customers with orders (t) into the buyers and
// the others. It is an error when nobody is a buyer.
func SelectBuyers(t *features.Table, log *slog.Logger) (*Buyers, error) {
	b := &Buyers{Reason: features.NotClustered(t), Row: make([]int, t.N())}
	var rows []int
	for i, why := range b.Reason {
		b.Row[i] = -1
		if why == "" {
			b.Row[i] = len(rows)
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("cluster: no customer has a purchase (an order of positive net value and a positive net spend), nothing to segment: %s",
			countReasons(b.Reason))
	}
	b.Table = t.Rows(rows)
	if n := t.N() - len(rows); n > 0 {
		orDiscard(log).Info("customers not clustered", "customers", n, "clustered", len(rows))
	}
	return b, nil
}

// NotClusteredSkipped is the not_clustered reason of every buyer of a run
// that skipped clustering (Clustering.Skipped says why).
const NotClusteredSkipped = "clustering_skipped"

// notClusteredReasons are features.NotClusteredReasons and
// NotClusteredSkipped, in the order the report and messages give them.
var notClusteredReasons = append(slices.Clone(features.NotClusteredReasons), struct{ ID, About string }{
	NotClusteredSkipped, "clustering skipped: the buyers are too few or too alike to tell apart (the report says why)"})

// withoutClustering returns b with every buyer left out of the
// clustering for reason NotClusteredSkipped: no customer is clustered.
func (b *Buyers) withoutClustering() *Buyers {
	out := &Buyers{Table: b.Table.Rows(nil), Row: make([]int, len(b.Row)), Reason: slices.Clone(b.Reason)}
	for i, row := range b.Row {
		out.Row[i] = -1
		if row >= 0 {
			out.Reason[i] = NotClusteredSkipped
		}
	}
	return out
}

// Label returns the cluster of row i of the customer table under fit, or
// −1 when the customer is not clustered.
func (b *Buyers) Label(fit *cluster.Result, i int) int {
	if c := b.Row[i]; c >= 0 {
		return fit.Labels[c]
	}
	return -1
}

// countReasons counts the customers by reason for not being clustered, in
// the order of features.NotClusteredReasons: "50 customers: only returns
// or cancellations; 10 customers: orders of zero net value only".
func countReasons(reasons []string) string {
	counts := map[string]int{}
	for _, r := range reasons {
		counts[r]++
	}
	var parts []string
	for _, r := range notClusteredReasons {
		if n := counts[r.ID]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s: %s", n, plural(n, "customer", "customers"), r.About))
		}
	}
	return strings.Join(parts, "; ")
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
