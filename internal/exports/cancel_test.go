package exports

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/segment-tool/segment/internal/canceltest"
)

// TestWriteAllCancel cancels WriteAll at each of its checks: it stops with
// context.Canceled wherever it is, before, among or after the contacts.
func TestWriteAllCancel(t *testing.T) {
	cs := make([]Contact, 20000) // several checks per file
	for i := range cs {
		cs[i] = Contact{CustomerID: fmt.Sprintf("c%05d", i), Email: fmt.Sprintf("c%d@shop.example.com", i), AcceptsMarketing: true}
	}
	full := canceltest.AfterChecks(1 << 40)
	if _, err := WriteAll(full, t.TempDir(), cs, nil, false); err != nil {
		t.Fatal(err)
	}
	n := full.Checks()
	if n < 10 {
		t.Fatalf("WriteAll checked the context %d times, want many", n)
	}
	for k := int64(0); k < n; k += max(1, n/7) {
		ctx := canceltest.AfterChecks(k)
		_, err := WriteAll(ctx, t.TempDir(), cs, nil, false)
		ctx.Cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d of %d checks: error %v, want context.Canceled", k, n, err)
		}
	}
}
