// Package compat is graphtest's compatibility suite: Microsoft's own
// clients, unchanged, against the emulator. Its tests run
// msgraph-sdk-go (with GetDefaultClient's middleware: compression,
// redirect, retry, URL replace) through users, mail, calendar, contacts,
// drives, sites, batching and throttling, and through groups, Teams
// (channels, chats, presence), Planner, To Do, Outlook categories and
// mailbox settings, and Excel workbooks; MSAL Go's confidential and
// public clients through discovery, secrets, certificates, device code,
// username/password and silent refresh; and o365 itself over tokens from
// MSAL's cache. After the tests it prints a table of every operation per
// client.
//
// It is a module of its own so that the core module never depends on
// the SDKs. Its examples show how a user points each client at graphtest.
package compat
