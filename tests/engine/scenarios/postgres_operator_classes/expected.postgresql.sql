-- CreateIndex
CREATE INDEX "A_tags_idx" ON "A" USING GIN ("tags" array_ops);

-- CreateIndex
CREATE INDEX "A_j_idx" ON "A" USING GIN ("j" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "A_j2_idx" ON "A" USING GIN ("j2" jsonb_ops);

-- CreateIndex
CREATE INDEX "A_ip_idx" ON "A" USING GIST ("ip" inet_ops);

-- CreateIndex
CREATE INDEX "A_t_idx" ON "A" USING SPGIST ("t" text_ops);

-- CreateIndex
CREATE INDEX "A_n_idx" ON "A" USING BRIN ("n" int4_minmax_ops);

-- CreateIndex
CREATE INDEX "A_ts_idx" ON "A" USING BRIN ("ts" timestamp_bloom_ops);

-- CreateIndex
CREATE INDEX "A_u_idx" ON "A" USING BRIN ("u" uuid_minmax_multi_ops);

-- CreateIndex
CREATE INDEX "A_b_idx" ON "A" USING BRIN ("b" bpchar_bloom_ops);

-- CreateIndex
CREATE INDEX "A_ip_brin" ON "A" USING BRIN ("ip" inet_inclusion_ops);

-- CreateIndex
CREATE INDEX "A_multi" ON "A" USING BRIN ("t" text_minmax_ops, "n" int4_bloom_ops);
