package featurejob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"

	"github.com/segment-tool/segment/data"
)

func TestListRemote(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"b.csv", "a.parquet", "c.CSV.GZ", "_SUCCESS", ".a.parquet.crc", "_tmp.parquet", "notes.txt"} {
		memfs.Write("memfs://list-test/in/"+name, []byte(name))
	}
	got, err := listRemote(ctx, "memfs://list-test/in/*")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"memfs://list-test/in/a.parquet", "memfs://list-test/in/b.csv", "memfs://list-test/in/c.CSV.GZ"}
	if !slices.Equal(got, want) {
		t.Errorf("listRemote = %q, want %q", got, want)
	}
	// A name without glob characters is the file itself, whatever its ending.
	if got, err := listRemote(ctx, "memfs://list-test/in/notes.txt"); err != nil || !slices.Equal(got, []string{"memfs://list-test/in/notes.txt"}) {
		t.Errorf("listRemote(one file) = %q, %v", got, err)
	}
	for _, url := range []string{"memfs://list-test/none/*.parquet", "memfs://list-test/in/missing.parquet"} {
		if _, err := listRemote(ctx, url); err == nil || !strings.Contains(err.Error(), url) {
			t.Errorf("listRemote(%s): error %v, want one naming it", url, err)
		}
	}
	if _, err := listRemote(ctx, "nosuchscheme://x/*.csv"); err == nil || !strings.Contains(err.Error(), "nosuchscheme") {
		t.Errorf("an unregistered scheme: error %v", err)
	}
}

// TestInputCopies checks that a remote file is fetched once until
// release (a second read in the bundle reads the same copy), keeps its
// name, has the bytes and SHA-256 of the object, that a copy whose
// checksum is not the listed one is refused, and that release removes the
// copies.
// TestInputCopies: a bundle's copy of a remote file is fetched once and
// kept in the process's cache after the bundle, for the next bundle that
// reads the file; ReleaseInputCopies removes it; a file fetched anew whose
// SHA-256 is not the listed one is an error naming it.
func TestInputCopies(t *testing.T) {
	ctx := context.Background()
	url := "memfs://copies-test/orders.csv"
	memfs.Write(url, []byte("first"))
	var c inputCopies
	local, sha, err := c.local(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("first"))
	if b, err := os.ReadFile(local); err != nil || string(b) != "first" || sha != hex.EncodeToString(sum[:]) || filepath.Base(local) != "orders.csv" {
		t.Fatalf("copy %s: %q, %v, SHA-256 %s", local, b, err, sha)
	}
	memfs.Write(url, []byte("second"))
	if again, sha2, err := c.local(ctx, url, ""); err != nil || again != local || sha2 != sha {
		t.Errorf("second read in the bundle: %s, %s, %v; want the first copy", again, sha2, err)
	}
	if p, _, err := c.local(ctx, "/local/orders.csv", ""); err != nil || p != "/local/orders.csv" {
		t.Errorf("a local path: %s, %v; want it unchanged", p, err)
	}
	if err := c.release(); err != nil {
		t.Fatal(err)
	}
	var next inputCopies // the next bundle
	if again, _, err := next.local(ctx, url, sha); err != nil || again != local {
		t.Errorf("the next bundle: %s, %v; want the kept copy", again, err)
	}
	if err := next.release(); err != nil {
		t.Fatal(err)
	}
	ReleaseInputCopies()
	if _, err := os.Stat(filepath.Dir(filepath.Dir(local))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after ReleaseInputCopies: %v, want the copies' folder removed", err)
	}
	if _, _, err := c.local(ctx, url, sha); err == nil || !strings.Contains(err.Error(), "changed during the job") || !strings.Contains(err.Error(), url) {
		t.Errorf("a changed file: error %v", err)
	}
	if err := c.release(); err != nil {
		t.Fatal(err)
	}
	ReleaseInputCopies()
	err = withLocal(ctx, url, func(local, _ string) error { return &os.PathError{Op: "open", Path: local, Err: os.ErrPermission} })
	if !errors.Is(err, os.ErrPermission) || err.Error() != "open "+url+": permission denied" {
		t.Errorf("withLocal's error: %v; want it naming the URL and wrapping the cause", err)
	}
	ReleaseInputCopies()
}

// TestRemoteInputsMatchLocal runs job 1 twice on Prism, on the same order
// files (Parquet of many row groups and a CSV file with a rejected row and
// a duplicate line), customers, products and events tables: once from
// local paths, once from memfs:// URLs, with duplicate lines kept and
// dropped (dups.go's two passes read the parts). No copy of a remote
// file is left on the workers' disk. The outputs are the same bytes; the summary differs only
// in the paths (each file's SHA-256 and rows are the local run's).
func TestRemoteInputsMatchLocal(t *testing.T) {
	_, split := testStore(t)
	in := t.TempDir()
	files, err := filepath.Glob(split)
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(store.dir, "customers.parquet"), filepath.Join(store.dir, "products.parquet"), filepath.Join(store.dir, "events.parquet"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if strings.HasPrefix(name, "orders-") {
			name = filepath.Join("orders", name)
		}
		if err := os.MkdirAll(filepath.Join(in, "orders"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csv := "customer_id,order_id,time,amount,quantity\nC9001,O9001,2024-03-01 10:00:00,12.5,1\n,O9002,2024-03-02 10:00:00,3,1\n" +
		"C9001,O9001,2024-03-01 10:00:00,12.5,1\n" // a duplicate line: rejected with orders.duplicates drop
	if err := os.WriteFile(filepath.Join(in, "orders", "orders-9.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	const root = "memfs://remote-test"
	err = filepath.WalkDir(in, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		memfs.Write(root+filepath.ToSlash(strings.TrimPrefix(p, in)), b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	memfs.Write(root+"/orders/_SUCCESS", nil)

	cfg := func(base, out, dups string) Config {
		return Config{Orders: base + "/orders/orders-*", Out: out, Shards: 3, MinShare: 0.01, Seed: 1, Duplicates: dups,
			Customers: base + "/customers.parquet", Products: base + "/products.parquet", Events: base + "/events.parquet"}
	}
	// The workers' copies go to the temporary folder: one of the test's
	// own, to check that none is left once the jobs are done.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, dups := range []string{data.KeepDuplicates, data.DropDuplicates} {
		t.Run(dups, func(t *testing.T) {
			remoteMatchesLocal(t, cfg(in, t.TempDir(), dups), cfg(root, t.TempDir(), dups), in, root)
		})
	}
	left, err := filepath.Glob(filepath.Join(tmp, "segment-beam-inputs-*"))
	if err != nil || len(left) > 0 {
		t.Errorf("copies left in the temporary folder: %v, %v", left, err)
	}
}

// remoteMatchesLocal runs job 1 with local and with remote, whose paths
// are local's with the folder in replaced by the URL root, and compares
// their outputs.
func remoteMatchesLocal(t *testing.T, local, remote Config, in, root string) {
	if err := runJob(t, local); err != nil {
		t.Fatal(err)
	}
	if err := runJob(t, remote); err != nil {
		t.Fatal(err)
	}
	lsum, err := ReadSummary(local.Out)
	if err != nil {
		t.Fatal(err)
	}
	rsum, err := ReadSummary(remote.Out)
	if err != nil {
		t.Fatal(err)
	}
	if len(lsum.Files) != 4 || lsum.RowsRejected == 0 || len(lsum.RejectFiles) == 0 {
		t.Fatalf("local run: %d files, %d rejected rows, reject files %v; want 4 order files (3 Parquet, 1 CSV) and a rejected row", len(lsum.Files), lsum.RowsRejected, lsum.RejectFiles)
	}
	// The remote events and customers tables' checksums, computed while
	// downloading them, so that the finishing step need not download them
	// again.
	checkSHA := func(table, path string, local, remote *string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(b)
		if *local != "" || *remote != hex.EncodeToString(want[:]) {
			t.Errorf("%s SHA-256: local %q, remote %q; want none and %x", table, *local, *remote, want)
		}
		*remote = ""
	}
	if local.Events != "" {
		checkSHA("events", local.Events, &lsum.Fit.Events.SHA256, &rsum.Fit.Events.SHA256)
	}
	if local.Customers != "" {
		checkSHA("customers", local.Customers, &lsum.Fit.Customers.SHA256, &rsum.Fit.Customers.SHA256)
	}
	for i := range rsum.Files {
		if want := root + strings.TrimPrefix(lsum.Files[i].Path, in); rsum.Files[i].Path != want {
			t.Errorf("file %d: %s, want %s", i, rsum.Files[i].Path, want)
		}
		rsum.Files[i].Path = lsum.Files[i].Path
	}
	// The files that lack a column some others have, by path as well.
	for col, files := range lsum.PartlyAbsent {
		for i, f := range files {
			if want := root + strings.TrimPrefix(f, in); i >= len(rsum.PartlyAbsent[col]) || rsum.PartlyAbsent[col][i] != want {
				t.Errorf("%s: files without it %q, want %s among them", col, rsum.PartlyAbsent[col], want)
				continue
			}
			rsum.PartlyAbsent[col][i] = f
		}
	}
	lj, rj := jsonOf(t, lsum), jsonOf(t, rsum)
	if !bytes.Equal(lj, rj) {
		t.Errorf("summaries differ beyond the paths:\nlocal  %s\nremote %s", lj, rj)
	}
	entries, err := os.ReadDir(filepath.Join(local.Out, FeaturesDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if name == SummaryFile || strings.HasPrefix(name, "rejects-") {
			continue
		}
		lb, err := os.ReadFile(filepath.Join(local.Out, FeaturesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		rb, err := os.ReadFile(filepath.Join(remote.Out, FeaturesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(lb, rb) {
			t.Errorf("%s differs", name)
		}
	}
	var lrej, rrej []data.Reject
	for r, err := range ReadRejects(local.Out, lsum) {
		if err != nil {
			t.Fatal(err)
		}
		r.File = root + strings.TrimPrefix(r.File, in)
		lrej = append(lrej, r)
	}
	for r, err := range ReadRejects(remote.Out, rsum) {
		if err != nil {
			t.Fatal(err)
		}
		rrej = append(rrej, r)
	}
	if len(lrej) == 0 || string(jsonOf(t, lrej)) != string(jsonOf(t, rrej)) {
		t.Errorf("rejects: remote %+v, want %+v (the local run's, named by URL)", rrej, lrej)
	}
}

// jsonOf returns v as indented JSON.
func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestListPartsRemoteOrder: the lister fetches remote files several at a
// time but numbers their parts in file order, as a local listing does,
// and of several bad files reports the first in that order.
func TestListPartsRemoteOrder(t *testing.T) {
	ctx := context.Background()
	const root = "memfs://list-parts-test"
	var want []string
	for i := range 3 * listWorkers {
		name := root + "/in/orders-" + strings.Repeat("0", 2-len(strconv.Itoa(i))) + strconv.Itoa(i) + ".csv"
		memfs.Write(name, []byte("customer_id,order_id,time,amount\nC1,O1,2024-01-01,1\n"))
		want = append(want, name)
	}
	var got []string
	err := listParts(ctx, root+"/in/*.csv", func(p orderPart) {
		if p.Seq != len(got) || p.SHA256 == "" {
			t.Errorf("part %d: seq %d, SHA-256 %q", len(got), p.Seq, p.SHA256)
		}
		got = append(got, p.Part.File)
	})
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("parts %q, %v; want %q", got, err, want)
	}
	for _, name := range []string{"/bad/a-05.parquet", "/bad/a-09.parquet", "/bad/a-01.csv", "/bad/a-02.csv"} {
		body := "customer_id,order_id,time,amount\nC1,O1,2024-01-01,1\n"
		if strings.HasSuffix(name, ".parquet") {
			body = "not parquet"
		}
		memfs.Write(root+name, []byte(body))
	}
	err = listParts(ctx, root+"/bad/*", func(orderPart) {})
	if err == nil || !strings.Contains(err.Error(), root+"/bad/a-05.parquet") {
		t.Errorf("error %v, want the first bad file in order (a-05.parquet)", err)
	}
}
