export TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/riskatlas_test_contract
export TEST_EMBEDDED_DIR=/work/wt/contract/.data/test-embedded
