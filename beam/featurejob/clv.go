package featurejob

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// Lifetime value (the clv section): job 1 aggregates the models' columns
// (features.Options.PurchaseDays); after job 1, on the submitting
// machine, the BG/NBD and Gamma-Gamma models are fitted on every customer
// of the feature shards (pipeline.CLVInputs, as a local run fits them: the
// buyers' sample lacks the customers whose returns exceed their spend)
// and saved to CLVFile; job 2 scores each shard's customers with them
// and the finishing step every customer (pipeline.CLVFit.Predict).

// CLVFile is the lifetime-value models, in Config.Out/FeaturesDir
// (encoding/gob: a fit's figures may be NaN, which JSON cannot hold).
const CLVFile = "clv.gob"

// FitCLV fits the lifetime-value models on every customer of the feature
// shards job 1 wrote into out, with the settings of o (o.CLV, its
// window_days and workers), and writes them to out/FeaturesDir/CLVFile
// under a temporary name renamed into place. It reads the shards in
// customer id order, a piece at a time, and only the columns the models
// read (pipeline.CLVColumns): it holds each buyer's statistics and spend
// (pipeline.CLVInputs, 40 bytes a buyer, as a local run's fit holds),
// not their features. It returns nil without a clv section (o.CLV nil).
func FitCLV(ctx context.Context, out string, sum *Summary, o *pipeline.Options) (*pipeline.CLVFit, error) {
	if o.CLV == nil {
		return nil, nil
	}
	header := featureHeader(sum)
	header.Holdout = sum.Holdout.holdout(o.Location)
	in := pipeline.NewCLVInputs(header, *o.CLV, o.WindowDays)
	names := pipeline.CLVColumns(header)
	if in.NeedsRows() {
		paths := make([]string, len(sum.Shards))
		for i, name := range sum.Shards {
			paths[i] = filepath.Join(out, FeaturesDir, name)
		}
		err := data.MergeScan(ctx, paths, "customer_id", append([]string{"customer_id"}, names...), 1<<16, func(t *data.Table) error {
			piece := &features.Table{IDs: t.Columns[0].Strings, Names: names, Cols: make([][]float64, len(names))}
			for j := range names {
				if c := t.Columns[j+1]; c.Kind == data.KindFloat64 {
					piece.Cols[j] = c.Floats
				} else {
					return fmt.Errorf("column %s is %v, not a float column", c.Name, c.Kind)
				}
			}
			in.Add(piece)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("featurejob: the feature shards in %s: %w", filepath.Join(out, FeaturesDir), err)
		}
	}
	lv, err := in.Fit(ctx, o.Workers)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(lv); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", CLVFile, err)
	}
	path := filepath.Join(out, FeaturesDir, CLVFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return lv, nil
}

// readCLVFile returns CLVFile in out as written, or nil when the run has
// no clv section (!on).
func readCLVFile(out string, on bool) ([]byte, error) {
	if !on {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(out, FeaturesDir, CLVFile))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return b, nil
}

// decodeCLV decodes CLVFile's bytes (nil: no clv section).
func decodeCLV(b []byte) (*pipeline.CLVFit, error) {
	if b == nil {
		return nil, nil
	}
	var lv pipeline.CLVFit
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&lv); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", CLVFile, err)
	}
	return &lv, nil
}
