package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// sameRunManifest returns an error when the previous run's run.json, if
// any, is of another analysis date than its model.json.
func (p *Previous) sameRunManifest() error {
	b, err := os.ReadFile(filepath.Join(p.Dir, "run.json"))
	if err != nil {
		return nil // an older run's folder may lack it; model.json is what is read
	}
	var run struct {
		AsOf *string `json:"as_of"`
	}
	if json.Unmarshal(b, &run) != nil || run.AsOf == nil || p.Model.AsOf == "" {
		return nil
	}
	if *run.AsOf != p.Model.AsOf {
		return p.mixed(fmt.Sprintf("run.json is of the run as of %s, model.json of the run as of %s", *run.AsOf, p.Model.AsOf))
	}
	return nil
}

// mixed is the error of a previous run's folder whose files are not of
// one run (a partial restore, files copied from another run): its
// history would be wrong.
func (p *Previous) mixed(what string) error {
	return fmt.Errorf("previous run %s: %s: the folder mixes the outputs of different runs (restore one run's outputs whole, or run with -previous none to start afresh)", p.Dir, what)
}
