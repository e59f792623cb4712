"""The preview: build, serve on 127.0.0.1, rebuild on change and reload the tab."""
