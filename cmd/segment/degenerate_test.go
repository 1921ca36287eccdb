package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeOrders writes a CSV order file of header and lines into dir.
func writeOrders(t *testing.T, dir, name, header string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(header+"\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNoPurchaseFails: a store where nobody bought anything (only
// returns, cancellations or zero-value orders) fails with exit 1 and
// counts the customers by reason.
func TestNoPurchaseFails(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 12 {
		lines = append(lines, "R"+string(rune('a'+i))+",O"+string(rune('a'+i))+",2024-01-02T10:00:00Z,-20,-1")
	}
	for i := range 3 {
		lines = append(lines, "Z"+string(rune('a'+i))+",P"+string(rune('a'+i))+",2024-01-02T10:00:00Z,0,0")
	}
	orders := writeOrders(t, dir, "orders.csv", "customer_id,order_id,time,amount,quantity", lines...)
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-out", filepath.Join(dir, "out"))
	if code != exitFailed {
		t.Errorf("exit %d, want %d; stderr %q", code, exitFailed, stderr)
	}
	for _, w := range []string{"no customer has a purchase", "12 customers: only returns or cancellations", "3 customers: orders of zero net value only"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not mention %q", stderr, w)
		}
	}
}

// TestEveryRowRejected: when every order line is rejected, the error
// counts the rejects by reason, quotes the first ones with file and row,
// and names where rejects.csv was kept (beside -out, never replacing a
// file); the previous outputs are untouched.
func TestEveryRowRejected(t *testing.T) {
	dir := t.TempDir()
	orders := writeOrders(t, dir, "orders.csv", "customer_id,order_id,time,amount",
		",O1,2024-01-02T10:00:00Z,5",
		"C2,O2,9999-01-02T10:00:00Z,5",
		"C3,O3,2024-01-02T10:00:00Z,1e308",
		",O4,2024-01-02T10:00:00Z,5")
	out := filepath.Join(dir, "out")
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-out", out)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitFailed, stderr)
	}
	for _, w := range []string{"no usable order line", "4 rows read", "2 missing customer_id", "1 amount out of range",
		"1 time out of range", orders + " row 1: missing customer_id", orders + " row 2: time out of range"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not mention %q", stderr, w)
		}
	}
	kept, _ := filepath.Glob(out + ".rejects-*.csv")
	if len(kept) != 1 || !strings.Contains(stderr, kept[0]) {
		t.Fatalf("kept rejects %v, stderr %q", kept, stderr)
	}
	b, err := os.ReadFile(kept[0])
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 5 {
		t.Errorf("kept rejects.csv has %d lines, want a header and 4 rows:\n%s", n, b)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s: %v", out, err)
	}
	// A second failure keeps its own file.
	segment(t, "run", "-quiet", "-orders", orders, "-out", out)
	if again, _ := filepath.Glob(out + ".rejects-*.csv"); len(again) != 2 {
		t.Errorf("after a second failure: %v", again)
	}
}
