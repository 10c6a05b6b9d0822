"""The load test of the critical endpoints: `make loadtest HOST=https://…`."""
