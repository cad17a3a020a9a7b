// tlogref: the independent implementation tally's interop tests compare against.
// It wraps golang.org/x/mod/sumdb/tlog and sumdb/note (the Go checksum database's code) in a
// line-oriented command interface; tests/interop/interop_test.cc drives it.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogref: "+format+"\n", args...)
	os.Exit(1)
}

func atoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		die("bad number %q", s)
	}
	return n
}

// memStore is an in-memory tlog.HashReader over stored hashes.
type memStore []tlog.Hash

func (m memStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = m[x]
	}
	return out, nil
}

func leaf(i int64) []byte { return []byte(fmt.Sprintf("leaf %d", i)) }

func build(n int64) memStore {
	var s memStore
	for i := int64(0); i < n; i++ {
		hs, err := tlog.StoredHashes(i, leaf(i), s)
		if err != nil {
			die("%v", err)
		}
		s = append(s, hs...)
	}
	return s
}

func b64(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

func joinProof(p []tlog.Hash) string {
	var parts []string
	for _, h := range p {
		parts = append(parts, b64(h))
	}
	return strings.Join(parts, ",")
}

func treeHash(n int64, r tlog.HashReader) tlog.Hash {
	h, err := tlog.TreeHash(n, r)
	if err != nil {
		die("%v", err)
	}
	return h
}

// c2spPath turns Go's tile path (with the height) into the C2SP tlog-tiles path.
func c2spPath(t tlog.Tile) string {
	p := t.Path() // tile/8/L/N or tile/8/data/N
	return "tile/" + strings.TrimPrefix(p, "tile/8/")
}

type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return 8 }
func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil {
			// A full tile stands in for a partial one the log has pruned.
			full := t
			full.W = 256
			data2, err2 := os.ReadFile(filepath.Join(d.dir, c2spPath(full)))
			if err2 != nil {
				return nil, err
			}
			data = data2[:t.W*tlog.HashSize]
		}
		out[i] = data
	}
	return out, nil
}
func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func main() {
	if len(os.Args) < 2 {
		die("usage: tlogref roots|proofs|random|writetiles|verifytiles|sign|open|keygen ...")
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	args := os.Args[2:]
	switch os.Args[1] {
	case "roots": // roots N: "n hex(root)" for n = 1..N of leaves "leaf i"
		n := atoi(args[0])
		var s memStore
		for i := int64(0); i < n; i++ {
			hs, _ := tlog.StoredHashes(i, leaf(i), s)
			s = append(s, hs...)
			h := treeHash(i+1, s)
			fmt.Fprintf(out, "%d %s\n", i+1, hex.EncodeToString(h[:]))
		}
	case "proofs": // proofs N: every inclusion and consistency proof of trees up to N leaves
		n := atoi(args[0])
		s := build(n)
		for t := int64(1); t <= n; t++ {
			for i := int64(0); i < t; i++ {
				p, err := tlog.ProveRecord(t, i, s)
				if err != nil {
					die("%v", err)
				}
				fmt.Fprintf(out, "inc %d %d %s\n", t, i, joinProof(p))
			}
			for m := int64(1); m <= t; m++ {
				p, err := tlog.ProveTree(t, m, s)
				if err != nil {
					die("%v", err)
				}
				fmt.Fprintf(out, "con %d %d %s\n", m, t, joinProof(p))
			}
		}
	case "random": // random N K SEED: K random proofs in a tree of N leaves
		n, k := atoi(args[0]), atoi(args[1])
		rng := rand.New(rand.NewSource(atoi(args[2])))
		s := build(n)
		for j := int64(0); j < k; j++ {
			t := 1 + rng.Int63n(n)
			i := rng.Int63n(t)
			m := 1 + rng.Int63n(t)
			p, _ := tlog.ProveRecord(t, i, s)
			q, _ := tlog.ProveTree(t, m, s)
			fmt.Fprintf(out, "inc %d %d %s\n", t, i, joinProof(p))
			fmt.Fprintf(out, "con %d %d %s\n", m, t, joinProof(q))
			fmt.Fprintf(out, "root %d %s\n", t, b64(treeHash(t, s)))
		}
	case "writetiles": // writetiles DIR N: Go's hash tiles for leaves "leaf i", at C2SP paths
		dir, n := args[0], atoi(args[1])
		s := build(n)
		for _, t := range tlog.NewTiles(8, 0, n) {
			data, err := tlog.ReadTileData(t, s)
			if err != nil {
				die("%v", err)
			}
			p := filepath.Join(dir, c2spPath(t))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				die("%v", err)
			}
			fmt.Fprintln(out, c2spPath(t))
		}
	case "verifytiles": // verifytiles DIR N ROOT_B64 STRIDE: read tally's tiles through Go's verifying reader
		dir, n, stride := args[0], atoi(args[1]), atoi(args[3])
		raw, err := base64.StdEncoding.DecodeString(args[2])
		if err != nil || len(raw) != 32 {
			die("bad root")
		}
		var root tlog.Hash
		copy(root[:], raw)
		thr := tlog.TileHashReader(tlog.Tree{N: n, Hash: root}, dirTiles{dir})
		if h, err := tlog.TreeHash(n, thr); err != nil || h != root {
			die("tree hash from tiles: %v", err)
		}
		for i := int64(0); i < n; i += stride {
			p, err := tlog.ProveRecord(n, i, thr)
			if err != nil {
				die("prove %d: %v", i, err)
			}
			if err := tlog.CheckRecord(p, n, root, i, tlog.RecordHash(leaf(i))); err != nil {
				die("check %d: %v", i, err)
			}
		}
		fmt.Fprintf(out, "ok %d\n", n)
	case "keygen": // keygen NAME: skey and vkey lines
		skey, vkey, err := note.GenerateKey(nil, args[0])
		if err != nil {
			die("%v", err)
		}
		fmt.Fprintf(out, "%s\n%s\n", skey, vkey)
	case "sign": // sign SKEY < text
		text, _ := io.ReadAll(os.Stdin)
		signer, err := note.NewSigner(args[0])
		if err != nil {
			die("%v", err)
		}
		msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
		if err != nil {
			die("%v", err)
		}
		out.Write(msg)
	case "open": // open VKEY... < note: prints the verified signers and the text
		msg, _ := io.ReadAll(os.Stdin)
		var vs []note.Verifier
		for _, k := range args {
			v, err := note.NewVerifier(k)
			if err != nil {
				die("%v", err)
			}
			vs = append(vs, v)
		}
		n, err := note.Open(msg, note.VerifierList(vs...))
		if err != nil {
			fmt.Fprintf(out, "error %v\n", err)
			return
		}
		for _, s := range n.Sigs {
			fmt.Fprintf(out, "verified %s\n", s.Name)
		}
		fmt.Fprintf(out, "text %s", n.Text)
	default:
		die("unknown command %q", os.Args[1])
	}
}
