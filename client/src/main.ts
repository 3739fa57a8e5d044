import { createApp } from 'vue'
import App from './App.vue'
import { createAppRouter } from './router.ts'
import { setLocale, useI18n } from './i18n/useI18n.ts'

setLocale(useI18n().locale.value)
createApp(App).use(createAppRouter()).mount('#app')
