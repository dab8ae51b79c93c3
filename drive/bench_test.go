package drive_test

// Benchmarks. They run only with -bench:
//
//	go test ./drive -run '^$' -bench . -benchtime 5x
//
// Transfers move 1 GiB through graphtest over loopback, through the
// library and through a plain net/http client talking the same protocol
// to the same server, alternately in the same run so both see the same
// load. They report each one's throughput, the library's share of the
// plain figure, and the peak heap of the whole process (client and
// emulator together) sampled every millisecond during each side's
// transfers.
//
// The content is a 1 MiB random block repeated: graphtest keeps file
// content in 64 KiB blocks stored once per distinct block, so the
// emulator holds 1 MiB whatever the file size, and the heap figure is the
// transfer's own. The library holds one 10 MiB chunk (it must be able to
// resend it); the plain client streams each chunk from the reader.
//
// Figures on the 2-vCPU build machine (shared, so ±20% between runs):
//
//	upload 1 GiB:   o365 1380-2310 MB/s, net/http 1530-3210 MB/s: 72-94%; peak heap 27-33 MB (net/http 10-20 MB)
//	download 1 GiB: o365 1920-4440 MB/s, net/http 1870-4470 MB/s: 97-114%; peak heap 2.4-3.9 MB
//	decode 1000 items (2.1 MB): o365 5.6-7.0 ms, encoding/json 12.5-15.9 ms, JSON v2 5.6-7.0 ms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
)

const benchFileSize = 1 << 30

// patternReader yields size bytes of a repeating block; it seeks, as a
// file does.
type patternReader struct {
	block []byte
	pos   int64
	size  int64
}

func newPatternReader(size int64) *patternReader {
	return &patternReader{block: randomBytes(1<<20, 42), size: size}
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.pos >= p.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(b) && p.pos < p.size {
		off := p.pos % int64(len(p.block))
		k := copy(b[n:], p.block[off:min(int64(len(p.block)), off+p.size-p.pos)])
		n += k
		p.pos += int64(k)
	}
	return n, nil
}

func (p *patternReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		p.pos = off
	case io.SeekCurrent:
		p.pos += off
	case io.SeekEnd:
		p.pos = p.size + off
	}
	return p.pos, nil
}

// heapPeak samples the heap (live and not yet collected objects) while
// it is on, every millisecond, and keeps the peak.
type heapPeak struct {
	mu   sync.Mutex
	on   bool
	peak uint64
	stop chan struct{}
	done sync.WaitGroup
}

func newHeapPeak() *heapPeak {
	h := &heapPeak{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			h.mu.Lock()
			if h.on {
				metrics.Read(sample)
				h.peak = max(h.peak, sample[0].Value.Uint64())
			}
			h.mu.Unlock()
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapPeak) set(on bool) {
	h.mu.Lock()
	h.on = on
	h.mu.Unlock()
}

func (h *heapPeak) close() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak
}

// race runs the library's transfer and the plain one alternately, so
// that both see the same machine load, and reports each one's MB/s, the
// library's share of the plain figure, and each one's peak heap in MB.
func race(b *testing.B, size int64, lib, plain func() error) {
	b.ReportAllocs()
	var libTime, plainTime time.Duration
	libHeap, plainHeap := newHeapPeak(), newHeapPeak()
	for b.Loop() {
		for _, side := range []struct {
			run   func() error
			total *time.Duration
			heap  *heapPeak
		}{{lib, &libTime, libHeap}, {plain, &plainTime, plainHeap}} {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			side.heap.set(true)
			start := time.Now()
			err := side.run()
			*side.total += time.Since(start)
			side.heap.set(false)
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(libTime), "o365-MB/s")
	b.ReportMetric(mbps(plainTime), "net-http-MB/s")
	b.ReportMetric(100*mbps(libTime)/mbps(plainTime), "o365-%-of-net-http")
	b.ReportMetric(float64(libHeap.close())/1e6, "o365-peak-heap-MB")
	b.ReportMetric(float64(plainHeap.close())/1e6, "net-http-peak-heap-MB")
}

// benchEnv is an emulator with Adele signed in, and her bearer token for
// the plain client.
func benchEnv(b *testing.B) (*env, *drive.DriveItem, string) {
	e := newEnv(b)
	tok, err := e.srv.UserToken(adele, "Files.ReadWrite.All")
	if err != nil {
		b.Fatal(err)
	}
	return e, e.root(adele), tok
}

// BenchmarkUpload1GiB uploads 1 GiB through an upload session (10 MiB
// chunks) with the library and with plain net/http.
func BenchmarkUpload1GiB(b *testing.B) {
	e, root, tok := benchEnv(b)
	url := e.srv.GraphURL() + "/v1.0/drives/" + root.ParentReference.DriveID + "/items/" + root.ID + ":/plain.bin:/createUploadSession"
	race(b, benchFileSize, func() error {
		f, err := root.Upload(e.ctx, "big.bin", newPatternReader(benchFileSize), benchFileSize, nil)
		if err == nil && f.Size != benchFileSize {
			err = fmt.Errorf("uploaded %d bytes", f.Size)
		}
		return err
	}, func() error {
		return plainUpload(url, tok, newPatternReader(benchFileSize), benchFileSize, drive.DefaultChunkSize)
	})
}

// plainUpload is the same upload with net/http and encoding/json alone:
// create the session, then PUT each chunk straight from the reader.
func plainUpload(createURL, tok string, r io.Reader, size, chunk int64) error {
	req, _ := http.NewRequest(http.MethodPost, createURL, strings.NewReader(`{"item":{"@microsoft.graph.conflictBehavior":"replace"}}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	var s struct {
		UploadURL string `json:"uploadUrl"`
	}
	err = json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if err != nil {
		return err
	}
	for off := int64(0); off < size; off += chunk {
		n := min(chunk, size-off)
		req, _ := http.NewRequest(http.MethodPut, s.UploadURL, io.LimitReader(r, n))
		req.ContentLength = n
		req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("chunk at %d: %s", off, resp.Status)
		}
	}
	return nil
}

// BenchmarkDownload1GiB downloads a 1 GiB file with the library and
// with plain net/http (Graph's 302, then the storage host).
func BenchmarkDownload1GiB(b *testing.B) {
	e, root, tok := benchEnv(b)
	f, err := root.Upload(e.ctx, "big.bin", newPatternReader(benchFileSize), benchFileSize, nil)
	if err != nil {
		b.Fatal(err)
	}
	url := e.srv.GraphURL() + "/v1.0/drives/" + f.ParentReference.DriveID + "/items/" + f.ID + "/content"
	check := func(n int64, err error) error {
		if err == nil && n != benchFileSize {
			err = fmt.Errorf("downloaded %d bytes", n)
		}
		return err
	}
	race(b, benchFileSize, func() error {
		return check(f.Download(e.ctx, io.Discard, nil))
	}, func() error {
		return check(plainDownload(url, tok))
	})
}

// noRedirect lets the plain client take Graph's 302 itself, so the token
// does not follow it (net/http would send it to another port of the same
// host).
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func plainDownload(url, tok string) (int64, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := noRedirect.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	resp, err = http.Get(resp.Header.Get("Location"))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return io.Copy(io.Discard, resp.Body)
}

// benchItemsPage is a page of 1000 files as OneDrive for Business lists
// them: every default property, a download URL, and a next link.
func benchItemsPage(b *testing.B) []byte {
	rng := rand.New(rand.NewPCG(7, 8))
	names := []string{"Quarterly report", "Budget", "Team photo", "Meeting notes", "Design spec", "Contract — signed", "Präsentation", "議事録"}
	exts := []string{".docx", ".xlsx", ".jpg", ".pdf", ".pptx", ".txt"}
	people := []map[string]any{
		{"user": map[string]any{"email": "AdeleV@contoso.onmicrosoft.com", "id": "efee1b77-fb3b-4f65-99d6-274c11914d12", "displayName": "Adele Vance"}},
		{"user": map[string]any{"email": "AlexW@contoso.onmicrosoft.com", "id": "406b2281-18e8-4416-9857-38c531b904f1", "displayName": "Alex Wilber"}},
	}
	driveID := "b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7"
	items := make([]map[string]any, 1000)
	for i := range items {
		id := fmt.Sprintf("01NKDM7HM%025X", rng.Uint64())
		name := fmt.Sprintf("%s %d%s", names[rng.IntN(len(names))], i, exts[rng.IntN(len(exts))])
		t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(1e6)) * time.Minute).Format(time.RFC3339)
		items[i] = map[string]any{
			"@microsoft.graph.downloadUrl": "https://contoso-my.sharepoint.com/personal/adelev/_layouts/15/download.aspx?UniqueId=" + id + "&Translate=false&tempauth=" + strings.Repeat("eyJ0eXAiOiJKV1Qi", 40),
			"createdDateTime":              t,
			"eTag":                         `"{` + id[2:10] + `-B0AA-46E1-8FF7-0750A29553DF},3"`,
			"id":                           id,
			"lastModifiedDateTime":         t,
			"name":                         name,
			"webUrl":                       "https://contoso-my.sharepoint.com/personal/adelev_contoso_onmicrosoft_com/Documents/Reports/" + strings.ReplaceAll(name, " ", "%20"),
			"cTag":                         `"c:{` + id[2:10] + `-B0AA-46E1-8FF7-0750A29553DF},3"`,
			"size":                         rng.Int64N(50 << 20),
			"createdBy":                    people[rng.IntN(2)],
			"lastModifiedBy":               people[rng.IntN(2)],
			"parentReference":              map[string]any{"driveType": "business", "driveId": driveID, "id": "01NKDM7HMOJTVYMDOSXFDK2QJDXCDI3WUK", "path": "/drives/" + driveID + "/root:/Reports"},
			"file":                         map[string]any{"mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "hashes": map[string]any{"quickXorHash": "taAFAAAAAAAAAAAAAgAAAAAAAAA="}},
			"fileSystemInfo":               map[string]any{"createdDateTime": t, "lastModifiedDateTime": t},
			"shared":                       map[string]any{"scope": "users"},
		}
	}
	data, err := json.Marshal(map[string]any{
		"@odata.context":  "https://graph.microsoft.com/v1.0/$metadata#drives('" + driveID + "')/items('01NKDM7HMOJTVYMDOSXFDK2QJDXCDI3WUK')/children",
		"@odata.nextLink": "https://graph.microsoft.com/v1.0/drives/" + driveID + "/items/01NKDM7HMOJTVYMDOSXFDK2QJDXCDI3WUK/children?$top=1000&$skiptoken=UGFnZWQ9VFJVRSZwX1NvcnRCZWhhdmlvcj0wJnBfRmlsZUxlYWZSZWY9",
		"value":           items,
	})
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecodeItemsPage decodes a page of 1000 drive items the way
// the iterator does, next to encoding/json and the JSON v2 engine
// decoding the same bytes into the same types.
func BenchmarkDecodeItemsPage(b *testing.B) {
	data := benchItemsPage(b)
	req, _ := http.NewRequest(http.MethodGet, "https://graph.microsoft.com/v1.0/me/drive/root/children", nil)
	type page = api.Page[*drive.DriveItem]
	decoders := []struct {
		name   string
		decode func() (*page, error)
	}{
		{"o365", func() (*page, error) {
			p := new(page)
			resp := &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(bytes.NewReader(data)), Request: req}
			return p, api.DecodeResponse(resp, p)
		}},
		{"encoding-json", func() (*page, error) {
			p := new(page)
			return p, json.Unmarshal(data, p)
		}},
		{"encoding-json-decoder", func() (*page, error) {
			p := new(page)
			return p, json.NewDecoder(bytes.NewReader(data)).Decode(p)
		}},
		{"json-v2", func() (*page, error) {
			p := new(page)
			return p, jsonv2.Unmarshal(data, p)
		}},
	}
	want, err := decoders[1].decode()
	if err != nil || len(want.Value) != 1000 {
		b.Fatalf("reference decode: %v", err)
	}
	for _, d := range decoders {
		got, err := d.decode()
		if err != nil {
			b.Fatalf("%s: %v", d.name, err)
		}
		if !reflect.DeepEqual(got, want) {
			b.Fatalf("%s decoded a different page", d.name)
		}
	}
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := d.decode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
