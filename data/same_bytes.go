package data

import "fmt"

// SameBytes refuses files when two of them with rows hold the same bytes
// (by their SHA-256), a compressed one's once decompressed: a part copied
// twice into a folder, a glob matching an export and its backup, or an
// export beside its gzip copy would count every line twice. It names the
// first such pair.
func SameBytes(files []FileStat) error {
	seen := map[string]string{}
	for _, f := range files {
		if err := sameAs(seen, f); err != nil {
			return err
		}
	}
	return nil
}

// sameAs is SameBytes for f, given the paths of the earlier files with
// rows by checksum (seen, which it adds f to).
func sameAs(seen map[string]string, f FileStat) error {
	if f.Rows == 0 || f.SHA256 == "" {
		return nil
	}
	for _, k := range [...]struct{ sum, name string }{{f.SHA256, f.Path}, {f.InnerSHA256, f.Path + " (decompressed)"}} {
		if k.sum == "" {
			continue
		}
		if earlier, ok := seen[k.sum]; ok {
			return fmt.Errorf("data: %s and %s hold the same bytes (SHA-256 %s…): their lines would be counted twice; remove one, or name the other alone", earlier, k.name, k.sum[:min(12, len(k.sum))])
		}
		seen[k.sum] = k.name
	}
	return nil
}

// sameBytes is SameBytes for the file just read, f.
func (r *orderReader) sameBytes(f FileStat) error {
	if r.sums == nil {
		r.sums = map[string]string{}
	}
	return sameAs(r.sums, f)
}
