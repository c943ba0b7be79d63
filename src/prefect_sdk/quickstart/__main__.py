from prefect_sdk.quickstart._cli import main

raise SystemExit(main())
