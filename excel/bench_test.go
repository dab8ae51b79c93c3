package excel_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/excel"
)

// BenchmarkRange100k writes a 1000 x 100 range (100,000 cells, numbers
// and strings) through a workbook session in graphtest and reads its
// values back, and does the same with net/http and encoding/json over
// the same connection (bearer token, retries), alternately, so both see
// the same machine load. It reports each one's milliseconds per
// write+read and the peak heap of the whole process (client and
// emulator) while it runs.
//
// On 2 shared cores (go test -bench Range100k -benchtime 5x ./excel/),
// three runs under different machine load:
//
//	o365-ms   671  1970  2517    plain-ms   699  2068  2160
//	o365-peak-heap-MB  87  147  92    plain-peak-heap-MB  87  129  94
//
// The library is within the noise of net/http + encoding/json; most of
// both figures is the emulator's (building and encoding the seven grids
// of the range it answers a write with).
func BenchmarkRange100k(b *testing.B) {
	e := newEnv(b)
	wb, _ := e.open("Big.xlsx")
	const rows, cols = 1000, 100
	values := make([][]any, rows)
	for i := range values {
		values[i] = make([]any, cols)
		for j := range values[i] {
			if j%10 == 0 {
				values[i][j] = "r" + string(rune('A'+i%26))
			} else {
				values[i][j] = float64(i*cols + j)
			}
		}
	}
	r := e.rng(wb, "Sheet1!A1:CV1000")
	con := e.account.Connection()
	plainURL := wb.URL() + "/worksheets/Sheet1/range(address='A1:CV1000')"
	session := wb.SessionID()

	lib := func() error {
		if _, err := r.Update(e.ctx, excel.RangeUpdate{Values: values}); err != nil {
			return err
		}
		got, err := r.Values(e.ctx)
		if err == nil && (len(got) != rows || len(got[0]) != cols) {
			b.Fatalf("read %dx%d", len(got), len(got[0]))
		}
		return err
	}
	plain := func() error {
		body, err := json.Marshal(map[string]any{"values": values})
		if err != nil {
			return err
		}
		req, _ := http.NewRequestWithContext(e.ctx, http.MethodPatch, plainURL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("workbook-session-id", session)
		resp, err := con.Do(req)
		if err != nil {
			return err
		}
		var discard map[string]any
		err = json.NewDecoder(resp.Body).Decode(&discard)
		resp.Body.Close()
		if err != nil {
			return err
		}
		req, _ = http.NewRequestWithContext(e.ctx, http.MethodGet, plainURL+"?$select=address,values", nil)
		req.Header.Set("workbook-session-id", session)
		if resp, err = con.Do(req); err != nil {
			return err
		}
		var out struct {
			Values [][]any `json:"values"`
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err == nil && len(out.Values) != rows {
			b.Fatalf("plain read %d rows", len(out.Values))
		}
		return err
	}

	b.ReportAllocs()
	libHeap, plainHeap := newHeapPeak(), newHeapPeak()
	var libTime, plainTime time.Duration
	b.ResetTimer()
	for range b.N {
		for _, run := range []struct {
			f    func() error
			heap *heapPeak
			took *time.Duration
		}{{lib, libHeap, &libTime}, {plain, plainHeap, &plainTime}} {
			run.heap.set(true)
			start := time.Now()
			if err := run.f(); err != nil {
				b.Fatal(err)
			}
			*run.took += time.Since(start)
			run.heap.set(false)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(libTime.Milliseconds())/float64(b.N), "o365-ms")
	b.ReportMetric(float64(plainTime.Milliseconds())/float64(b.N), "plain-ms")
	b.ReportMetric(float64(libHeap.close())/1e6, "o365-peak-heap-MB")
	b.ReportMetric(float64(plainHeap.close())/1e6, "plain-peak-heap-MB")
}

// heapPeak samples the heap (live and not yet collected objects) every
// millisecond while it is on, and keeps the peak.
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
