package main

import (
	"context"
	"flag"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/segment-tool/segment/data"
)

func main() {
	flag.Parse()
	beam.Init()
	p := beam.NewPipeline()
	_ = beamx.Run(context.Background(), p)
}
