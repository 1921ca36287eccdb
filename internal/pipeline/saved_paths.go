package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/segment-tool/segment/internal/config"
)

// SavedFeatureTable is the feature table a model fitted on one read: the
// first of its inputs ("" for none).
func (m *Model) SavedFeatureTable() string {
	if len(m.Inputs) == 0 {
		return ""
	}
	return m.Inputs[0].Path
}

// CheckSavedPaths returns an error naming the first input of o not given
// by a flag (given: by flag name; from, "the model's" or "-config's") that
// is a relative path to no file from here: model.json's paths are
// relative to the folder segment run was started in, and a scheduled
// assign often starts elsewhere.
func (o *Options) CheckSavedPaths(given map[string]bool, from string) error {
	if o.Demo {
		return nil
	}
	type input struct{ flag, path string }
	inputs := []input{{"orders", o.Orders}, {"features", o.Features}, {"customers", o.CustomersPath}}
	if o.Events != nil {
		inputs = append(inputs, input{"events", o.Events.Path})
	}
	if o.Products != nil {
		inputs = append(inputs, input{"products", o.Products.Path})
	}
	for _, in := range inputs {
		if given[in.flag] || in.path == "" || filepath.IsAbs(in.path) || config.IsURL(in.path) || strings.ContainsAny(in.path, "*?[") {
			continue
		}
		if _, err := os.Stat(in.path); errors.Is(err, fs.ErrNotExist) {
			wd, _ := os.Getwd()
			return fmt.Errorf("assign: %s %s input %s is not in %s: paths in model.json are relative to the folder segment run was started in, a config's to the file; run assign from that folder, or give -%s", from, in.flag, in.path, wd, in.flag)
		}
	}
	return nil
}
