"""The load bench (bench/README.md): its runner, locust file, and the settings of
the server it starts."""
