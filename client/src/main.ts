import './styles/tokens.css'
import './styles/base.css'
import { createApp } from 'vue'
import App from './App.vue'
import { createAppRouter } from './router.ts'
import { setLocale, useI18n } from './i18n/useI18n.ts'
import { createSession, sessionKey } from './composables/useSession.ts'

setLocale(useI18n().locale.value)
const session = createSession()
createApp(App).provide(sessionKey, session).use(createAppRouter(session)).mount('#app')
