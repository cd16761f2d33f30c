"""Writers: each renders an Assessment to text or bytes (pure), and `atomic.write_atomic`
puts the result on disk."""
