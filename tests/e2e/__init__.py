"""The whole panel cycle, walked as its people would: the real app in a child process on a
real X server, driven by real key presses and clicks, with real pauses."""
