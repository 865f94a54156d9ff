console.error("图表数据缺失");
throw new Error("boom from fixture");
