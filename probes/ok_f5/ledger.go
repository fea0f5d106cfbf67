// Package ok_f5 implements an in-memory ledger as an actor: a single
// goroutine owns all balances and the journal, and every other goroutine
// talks to it by sending requests that carry their own reply channel.
package ok_f5

import (
	"errors"
	"sort"
)

// ErrInsufficient is returned when a withdrawal would overdraw an account.
var ErrInsufficient = errors.New("insufficient funds")

// ErrClosed is returned by operations on a closed ledger.
var ErrClosed = errors.New("ledger closed")

// Entry is one journal line.
type Entry struct {
	Account string
	Delta   int64
	Balance int64
}

type opKind int

const (
	opApply opKind = iota
	opBalance
	opSnapshot
)

type request struct {
	kind    opKind
	account string
	delta   int64
	reply   chan reply
}

type reply struct {
	balance  int64
	balances map[string]int64
	err      error
}

// Ledger is safe for concurrent use. Its balances and journal fields are
// touched only by the loop goroutine while it runs, and by Close after the
// loop has exited.
type Ledger struct {
	reqs chan request
	quit chan struct{}
	done chan struct{}

	balances map[string]int64
	journal  []Entry
}

// New starts a ledger.
func New() *Ledger {
	l := &Ledger{
		reqs:     make(chan request),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
		balances: make(map[string]int64),
	}
	go l.loop()
	return l
}

// loop serves requests until quit is closed.
func (l *Ledger) loop() {
	defer close(l.done)
	for {
		select {
		case r := <-l.reqs:
			r.reply <- l.handle(r)
		case <-l.quit:
			return
		}
	}
}

// handle executes one request on the loop goroutine.
func (l *Ledger) handle(r request) reply {
	switch r.kind {
	case opApply:
		bal := l.balances[r.account] + r.delta
		if bal < 0 {
			return reply{balance: l.balances[r.account], err: ErrInsufficient}
		}
		l.balances[r.account] = bal
		l.journal = append(l.journal, Entry{Account: r.account, Delta: r.delta, Balance: bal})
		return reply{balance: bal}
	case opBalance:
		return reply{balance: l.balances[r.account]}
	default:
		cp := make(map[string]int64, len(l.balances))
		for k, v := range l.balances {
			cp[k] = v
		}
		return reply{balances: cp}
	}
}

// call sends r to the loop and waits for the answer.
func (l *Ledger) call(r request) reply {
	r.reply = make(chan reply, 1)
	select {
	case l.reqs <- r:
		return <-r.reply
	case <-l.done:
		return reply{err: ErrClosed}
	}
}

// Deposit adds amount to account and returns the new balance.
func (l *Ledger) Deposit(account string, amount int64) (int64, error) {
	rep := l.call(request{kind: opApply, account: account, delta: amount})
	return rep.balance, rep.err
}

// Withdraw removes amount from account unless that would overdraw it.
func (l *Ledger) Withdraw(account string, amount int64) (int64, error) {
	rep := l.call(request{kind: opApply, account: account, delta: -amount})
	return rep.balance, rep.err
}

// Balance returns the balance of account.
func (l *Ledger) Balance(account string) (int64, error) {
	rep := l.call(request{kind: opBalance, account: account})
	return rep.balance, rep.err
}

// Snapshot returns a private copy of all balances, sorted by account name
// in the returned key slice. The caller may modify the returned map.
func (l *Ledger) Snapshot() (map[string]int64, []string, error) {
	rep := l.call(request{kind: opSnapshot})
	if rep.err != nil {
		return nil, nil, rep.err
	}
	keys := make([]string, 0, len(rep.balances))
	for k := range rep.balances {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return rep.balances, keys, nil
}

// Close stops the loop and returns the journal. Close must be called once.
func (l *Ledger) Close() []Entry {
	close(l.quit)
	<-l.done
	return l.journal
}
