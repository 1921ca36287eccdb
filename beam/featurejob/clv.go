package featurejob

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// Lifetime value (the clv section): job 1 aggregates the models' columns
// (features.Options.PurchaseDays); after job 1, on the submitting
// machine, the BG/NBD and Gamma-Gamma models are fitted on every customer
// of the feature shards (pipeline.FitCLV, as a local run fits them: the
// buyers' sample lacks the customers whose returns exceed their spend)
// and saved to CLVFile; job 2 scores each shard's customers with them
// and the finishing step every customer (pipeline.CLVFit.Predict).

// CLVFile is the lifetime-value models, in Config.Out/FeaturesDir
// (encoding/gob: a fit's figures may be NaN, which JSON cannot hold).
const CLVFile = "clv.gob"

// FitCLV fits the lifetime-value models on every customer of the feature
// shards job 1 wrote into out, with the settings of o (o.CLV, its
// window_days and workers), and writes them to out/FeaturesDir/CLVFile
// under a temporary name renamed into place. It reads every shard back
// into memory, as the finishing step does (memory grows with the
// customers here). It returns nil without a clv section (o.CLV nil).
func FitCLV(ctx context.Context, out string, sum *Summary, o *pipeline.Options) (*pipeline.CLVFit, error) {
	if o.CLV == nil {
		return nil, nil
	}
	table, err := readFeatures(ctx, out, sum)
	if err != nil {
		return nil, err
	}
	lv, err := pipeline.FitCLV(ctx, table, *o.CLV, o.WindowDays, o.Workers)
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

// readFeatures reads every feature shard job 1 wrote into out and merges
// them into the feature table of a local run (pipeline.MergeFeatureShards).
func readFeatures(ctx context.Context, out string, sum *Summary) (*features.Table, error) {
	var shards []*features.Table
	for _, name := range sum.Shards {
		t, err := ReadShard(ctx, filepath.Join(out, FeaturesDir, name), sum)
		if err != nil {
			return nil, err
		}
		shards = append(shards, t)
	}
	table, err := pipeline.MergeFeatureShards(shards)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return table, nil
}
