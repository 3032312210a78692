package pgnode_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet/pgnode"
)

// TestStartServesSQL starts a real server, creates a database and runs a
// query over TCP on loopback.
func TestStartServesSQL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n, err := pgnode.Start(ctx)
	require.NoError(t, err)
	defer func() { require.NoError(t, n.Stop()) }()
	require.NoError(t, n.CreateDatabase(ctx, "ledger"))
	conn, err := pgx.Connect(ctx, n.DSN("ledger"))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var got int
	require.NoError(t, conn.QueryRow(ctx, "SELECT 40 + 2").Scan(&got))
	require.Equal(t, 42, got)
}
