"""What every simulated client of the load test shares: its pace, and how a
request passes or fails."""

from locust import HttpUser, between

from loadtest.budgets import REQUEST_TIMEOUT

# nginx sets this header on every request it forwards; sent here too, a run
# against gunicorn itself (from the host, which it trusts as a proxy) measures
# the pages instead of the redirect to HTTPS.
HEADERS = {"X-Forwarded-Proto": "https"}


class Client(HttpUser):
    """An anonymous client that pauses for one to three seconds between two
    requests."""

    abstract = True
    wait_time = between(1, 3)

    def expect(self, path: str, status: int = 200) -> None:
        """GET ``path``, a failure unless it answers ``status`` in time.

        Redirects are not followed: one is a failure too, so a run against
        the wrong scheme or host says so instead of timing the redirect.
        """
        with self.client.get(
            path,
            headers=HEADERS,
            timeout=REQUEST_TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == status:
                response.success()
            elif response.error is not None and not response.status_code:
                response.failure(response.error)  # a timeout, or no connection
            else:
                response.failure(f"{response.status_code}, expected {status}")
