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
	// Table is the buyers, in the order of the customer table; nil in a
	// scale-out finish, which reads them from job 2's shards and holds
	// only their number.
	Table *features.Table
	Row   []int // row of the customer table → row of Table, or −1; nil in a finish
	n     int   // the buyers
	// reason is why row i of the customer table is not clustered, as an
	// index into reasonIDs (0, "": it is): a byte a customer rather than
	// a string's 16. nil in a finish.
	reason []uint8
}

// Reason returns why row i of the customer table is not clustered, "" when
// it is.
func (b *Buyers) Reason(i int) string { return reasonIDs[b.reason[i]] }

// SelectBuyers splits the customers with orders (t) into the buyers and
// the others. It is an error when nobody is a buyer.
func SelectBuyers(t *features.Table, log *slog.Logger) (*Buyers, error) {
	b := newBuyers(t)
	if err := checkBuyers(b, t, log); err != nil {
		return nil, err
	}
	return b, nil
}

// checkBuyers returns an error when b, the buyers of t, are none, and
// logs how many customers are not clustered.
func checkBuyers(b *Buyers, t *features.Table, log *slog.Logger) error {
	if b.N() == 0 {
		return fmt.Errorf("cluster: no customer has a purchase (an order of positive net value and a positive net spend), nothing to segment: %s",
			b.countReasons())
	}
	if n := t.N() - b.N(); n > 0 {
		orDiscard(log).Info("customers not clustered", "customers", n, "clustered", b.N())
	}
	return nil
}

// newBuyers splits the customers of t into the buyers (Table) and the
// others, with their reasons (features.NotClustered).
func newBuyers(t *features.Table) *Buyers {
	b := &Buyers{Row: make([]int, t.N()), reason: make([]uint8, t.N())}
	rows := make([]int, 0, t.N())
	for i, why := range features.NotClustered(t) {
		b.Row[i] = -1
		if why == "" {
			b.Row[i] = len(rows)
			rows = append(rows, i)
			continue
		}
		b.reason[i] = reasonCode(why)
	}
	b.Table, b.n = t.Rows(rows), len(rows)
	return b
}

// N returns the number of buyers.
func (b *Buyers) N() int { return b.n }

// NotClusteredSkipped is the not_clustered reason of every buyer of a run
// that skipped clustering (Clustering.Skipped says why).
const NotClusteredSkipped = "clustering_skipped"

// notClusteredReasons are features.NotClusteredReasons and
// NotClusteredSkipped, in the order the report and messages give them.
var notClusteredReasons = append(slices.Clone(features.NotClusteredReasons), struct{ ID, About string }{
	NotClusteredSkipped, "clustering skipped: the buyers are too few or too alike to tell apart (the report says why)"})

// reasonIDs are the reasons Buyers stores by index: "" (clustered), then
// the ids of notClusteredReasons.
var reasonIDs = func() []string {
	ids := []string{""}
	for _, r := range notClusteredReasons {
		ids = append(ids, r.ID)
	}
	return ids
}()

// reasonCode returns the index of reason id in reasonIDs; it panics for an
// id that is not there (features.NotClustered gives no other).
func reasonCode(id string) uint8 {
	c := slices.Index(reasonIDs, id)
	if c < 0 {
		panic(fmt.Sprintf("pipeline: unknown not_clustered reason %q", id))
	}
	return uint8(c)
}

// withoutClustering returns b with every buyer left out of the
// clustering for reason NotClusteredSkipped: no customer is clustered.
func (b *Buyers) withoutClustering() *Buyers {
	out := &Buyers{Table: b.Table.Rows(nil), Row: make([]int, len(b.Row)), reason: slices.Clone(b.reason)}
	skipped := reasonCode(NotClusteredSkipped)
	for i, row := range b.Row {
		out.Row[i] = -1
		if row >= 0 {
			out.reason[i] = skipped
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
func (b *Buyers) countReasons() string {
	counts := b.reasonCounts()
	var parts []string
	for k, r := range notClusteredReasons {
		if n := counts[k+1]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s: %s", n, plural(n, "customer", "customers"), r.About))
		}
	}
	return strings.Join(parts, "; ")
}

// reasonCounts counts the customers by reason, indexed as reasonIDs.
func (b *Buyers) reasonCounts() []int {
	counts := make([]int, len(reasonIDs))
	for _, c := range b.reason {
		counts[c]++
	}
	return counts
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
