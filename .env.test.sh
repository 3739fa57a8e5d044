export TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/riskatlas_test_command
export TEST_EMBEDDED_DIR=/work/wt/command/.data/test-embedded
