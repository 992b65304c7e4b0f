// The Go source of driftdeck-jsonnet, the program that renders an app's Jsonnet files. The build writes it into the
// wrapper module of the jsonnet component and compiles it against the pinned go-jsonnet (versions.ts), like the
// other tools. It is driftdeck's own rather than the upstream `jsonnet` command because confinement has to live where
// files are opened: Jsonnet's import, importstr and importbin may name absolute paths, `../..`, or go through library
// paths and symlinks, and only an importer that resolves each path (symlinks included) can refuse every way out.
// A static scan of import strings would have to match go-jsonnet's lexer and search order exactly; this cannot drift.
//
// Kept as text so that the bundled CLI carries it; its digest names the cache folder, so an edit here rebuilds it.
export const JSONNET_MAIN_GO = `// driftdeck-jsonnet evaluates the Jsonnet files of one app with go-jsonnet, confined to a repository: every file
// that import, importstr or importbin would read (relative, absolute, through a library path or a symlink) must
// resolve to a regular file inside the repository root, else evaluation stops with an error naming the importing
// file and the import. Written by driftdeck into the wrapper module it builds; the request comes as JSON on stdin
// and the answer goes as JSON to stdout.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/google/go-jsonnet"
)

// protocol is the version of the request and answer shapes; driftdeck checks it with --protocol.
const protocol = "driftdeck-jsonnet/1"

// maxImportBytes bounds one imported file: a repository's library is text, not a disk image.
const maxImportBytes = 64 << 20

// defaultMaxHeapMiB stops an evaluation that grows without end (std.repeat of a huge string, a runaway recursion over
// big arrays) before it takes the machine's memory; driftdeck's timeout stops one that only takes time.
const defaultMaxHeapMiB = 2048

func guardMemory(maxMiB uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	for range time.Tick(20 * time.Millisecond) {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > maxMiB<<20 {
			fmt.Fprintf(os.Stderr, "evaluation stopped: it used more than %d MiB of memory\\n", maxMiB)
			os.Exit(3)
		}
	}
}

type variable struct {
	Name  string \`json:"name"\`
	Value string \`json:"value"\`
	Code  bool   \`json:"code"\`
}

type request struct {
	// Files to evaluate, relative to the root, in order.
	Files []string \`json:"files"\`
	// Library paths relative to the root, searched last to first after the importing file's folder (-J order).
	Libs    []string   \`json:"libs"\`
	TLAs    []variable \`json:"tlas"\`
	ExtVars []variable \`json:"extVars"\`
	// MaxHeapMiB overrides defaultMaxHeapMiB (tests use a small one).
	MaxHeapMiB uint64 \`json:"maxHeapMiB,omitempty"\`
}

type result struct {
	File  string \`json:"file"\`
	JSON  string \`json:"json,omitempty"\`
	Error string \`json:"error,omitempty"\`
}

type cached struct {
	exists   bool
	contents jsonnet.Contents
	foundAt  string
}

// confinedImporter reads imports only from regular files whose real path is inside root. Paths it hands to
// go-jsonnet are relative to root, so that error messages name files as the repository does.
type confinedImporter struct {
	root  string
	libs  []string
	cache map[string]cached
}

func (c *confinedImporter) inside(real string) bool {
	return real == c.root || strings.HasPrefix(real, c.root+string(filepath.Separator))
}

func describe(importedFrom string) string {
	if importedFrom == "" {
		return "a top-level argument or external variable"
	}
	return importedFrom
}

func (c *confinedImporter) Import(importedFrom, importedPath string) (jsonnet.Contents, string, error) {
	var candidates []string
	if filepath.IsAbs(importedPath) {
		candidates = []string{importedPath}
	} else {
		dir, _ := filepath.Split(importedFrom)
		if strings.HasPrefix(importedFrom, "<") {
			dir = ""
		}
		candidates = append(candidates, filepath.Join(dir, importedPath))
		for i := len(c.libs) - 1; i >= 0; i-- {
			candidates = append(candidates, filepath.Join(c.libs[i], importedPath))
		}
	}
	for _, candidate := range candidates {
		entry, err := c.probe(candidate, importedFrom, importedPath)
		if err != nil {
			return jsonnet.Contents{}, "", err
		}
		if entry.exists {
			return entry.contents, entry.foundAt, nil
		}
	}
	return jsonnet.Contents{}, "", fmt.Errorf("import %q in %s: no such file beside it or in the library paths", importedPath, describe(importedFrom))
}

func (c *confinedImporter) probe(candidate, importedFrom, importedPath string) (cached, error) {
	if entry, ok := c.cache[candidate]; ok {
		return entry, nil
	}
	abs := candidate
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.root, candidate)
	}
	refuse := func(why string) (cached, error) {
		return cached{}, fmt.Errorf("refusing import %q in %s: %s", importedPath, describe(importedFrom), why)
	}
	// The path as written must not leave the root either, even when the file it names is missing there.
	if !c.inside(filepath.Clean(abs)) {
		return refuse("it names a path outside the repository")
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, os.ErrNotExist) {
			entry := cached{}
			c.cache[candidate] = entry
			return entry, nil
		}
		return refuse("it cannot be resolved")
	}
	if !c.inside(real) {
		return refuse("it leads out of the repository through a symlink")
	}
	info, err := os.Stat(real)
	if err != nil {
		return refuse("it cannot be read")
	}
	if !info.Mode().IsRegular() {
		return refuse("it is not a regular file")
	}
	if info.Size() > maxImportBytes {
		return refuse(fmt.Sprintf("it is larger than %d bytes", maxImportBytes))
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return refuse("it cannot be read")
	}
	rel, err := filepath.Rel(c.root, real)
	if err != nil {
		return refuse("it cannot be resolved")
	}
	entry := cached{exists: true, contents: jsonnet.MakeContentsRaw(data), foundAt: filepath.ToSlash(rel)}
	c.cache[candidate] = entry
	return entry, nil
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--protocol" {
		fmt.Println(protocol)
		return
	}
	if len(os.Args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: driftdeck-jsonnet < request.json (run from the repository root; see driftdeck)")
		os.Exit(2)
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	var req request
	decoder := json.NewDecoder(io.LimitReader(os.Stdin, 16<<20))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&req); err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	maxHeap := uint64(defaultMaxHeapMiB)
	if req.MaxHeapMiB > 0 {
		maxHeap = req.MaxHeapMiB
	}
	go guardMemory(maxHeap)
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := filepath.EvalSymlinks(cwd)
	if err != nil {
		return err
	}
	vm := jsonnet.MakeVM()
	vm.SetTraceOut(io.Discard)
	vm.Importer(&confinedImporter{root: root, libs: req.Libs, cache: map[string]cached{}})
	for _, v := range req.TLAs {
		if v.Code {
			vm.TLACode(v.Name, v.Value)
		} else {
			vm.TLAVar(v.Name, v.Value)
		}
	}
	for _, v := range req.ExtVars {
		if v.Code {
			vm.ExtCode(v.Name, v.Value)
		} else {
			vm.ExtVar(v.Name, v.Value)
		}
	}
	results := []result{}
	for _, file := range req.Files {
		out, err := vm.EvaluateFile(file)
		if err != nil {
			results = append(results, result{File: file, Error: err.Error()})
			break
		}
		results = append(results, result{File: file, JSON: out})
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"protocol": protocol, "results": results})
}
`;
