// Model of package os/signal for racelens, with the signatures of the real API. Bodies are
// placeholders.

package signal

import (
	"context"
	"os"
)

func Ignore(sig ...os.Signal)                     {}
func Ignored(sig os.Signal) bool                  { panic("model") }
func Notify(c chan<- os.Signal, sig ...os.Signal) {}
func Reset(sig ...os.Signal)                      {}
func Stop(c chan<- os.Signal)                     {}

func NotifyContext(parent context.Context, signals ...os.Signal) (ctx context.Context, stop context.CancelFunc) {
	panic("model")
}
